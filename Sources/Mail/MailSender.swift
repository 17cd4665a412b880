import BillportCore

/// Lets async code (a worker's job handler) use a blocking `MailTransport` without holding
/// one of Swift's cooperative threads for the length of an SMTP dialogue.
///
/// Each send runs on the sender's own serial dispatch queue and resumes the caller when it
/// is done. One sender matches one `SMTPTransport` (which sends one message at a time anyway);
/// a worker that sends in parallel makes one sender per transport. Cancelling the calling
/// task does not interrupt a send in progress; the transport's timeout bounds it.
public final class MailSender: Sendable {
    /// Where messages go.
    public let transport: any MailTransport
    private let queue: BlockingQueue

    /// A sender over `transport`, its queue named `label` (visible in thread dumps).
    public init(transport: any MailTransport, label: String = "billport.mail.sender") {
        self.transport = transport
        queue = BlockingQueue(label: label)
    }

    /// Renders `message` and sends it off the cooperative pool; `envelope` nil means from
    /// `From` to every To and Cc.
    public func send(_ message: MailMessage, envelope: MailEnvelope? = nil) async throws(MailError) -> MailReceipt {
        let rendered = try message.render()
        return try await send(rendered, envelope: envelope ?? MailEnvelope(for: rendered))
    }

    /// Sends an already rendered message off the cooperative pool.
    public func send(_ message: RenderedMail, envelope: MailEnvelope) async throws(MailError) -> MailReceipt {
        let transport = self.transport
        return try await queue.run { () throws(MailError) in try transport.send(message, envelope: envelope) }
    }
}
