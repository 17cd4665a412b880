import Curl
import Foundation
import Synchronization

/// Sends mail to an SMTP relay through libcurl, keeping one connection open across messages.
///
/// `send` blocks (connect, TLS, the SMTP dialogue) for at most the configured timeouts, so
/// call it from a thread that may block (see `MailTransport`). One instance sends one message
/// at a time over its one connection; concurrent callers wait their turn. For parallel
/// sending, make several transports: each holds its own connection.
///
/// Failures: an SMTP 4xx reply → `MailError.transient(code:reply:)`, 5xx → `.permanent`, no
/// reply (refused, timed out, TLS failed, connection lost) → `.transient(code: nil, …)`. Any
/// refused recipient fails the whole message before DATA, so nothing is half delivered.
public final class SMTPTransport: MailTransport {
    private let session: Mutex<SMTPSession>
    private let password: String?

    /// A transport for the relay `configuration` names; no connection is made until the
    /// first `send`. Throws `.configuration` for an unusable URL or option.
    public init(configuration: MailConfiguration) throws(MailError) {
        let endpoint = try SMTPEndpoint(configuration: configuration)
        session = Mutex(try SMTPSession(configuration: configuration, endpoint: endpoint))
        password = configuration.password
    }

    /// Sends `message` to the envelope's recipients and returns the server's final reply.
    public func send(_ message: RenderedMail, envelope: MailEnvelope) throws(MailError) -> MailReceipt {
        try envelope.validate()
        let result: Result<String?, MailError> = session.withLock { session in
            let reused = session.mayHoldConnection
            var outcome = session.perform(bytes: message.bytes, from: envelope.from, recipients: envelope.recipients,
                                          freshConnection: false)
            if reused, Self.lostKeptConnection(outcome) {
                outcome = session.perform(bytes: message.bytes, from: envelope.from, recipients: envelope.recipients,
                                          freshConnection: true)
            }
            return Self.classify(outcome, endpoint: session.endpoint)
        }
        switch result {
        case .success(let reply):
            return MailReceipt(messageID: message.messageID, reply: reply.map(redacted))
        case .failure(let error):
            throw redacted(error)
        }
    }

    /// Whether a transfer on a kept connection failed because the server had closed it while
    /// idle: no new connection, and no reply at all or only `421` (closing) and the `221` to
    /// libcurl's QUIT. The server has then accepted nothing of this message, so one more try
    /// on a new connection cannot deliver it twice.
    static func lostKeptConnection(_ outcome: SMTPSession.Outcome) -> Bool {
        let lost: Set<CurlCode> = [.gotNothing, .sendError, .receiveError]
        return outcome.newConnections == 0 && lost.contains(outcome.code)
            && outcome.replies.replies.allSatisfy { $0.code == 421 || $0.code == 221 }
    }

    /// Maps a finished transfer to the final reply or a classified error.
    static func classify(_ outcome: SMTPSession.Outcome, endpoint: SMTPEndpoint) -> Result<String?, MailError> {
        if outcome.code.isOK { return .success(outcome.replies.last?.text) }
        let code = outcome.replies.lastFailure?.code ?? (outcome.responseCode >= 400 ? outcome.responseCode : nil)
        if let code {
            let text = outcome.replies.lastFailure?.text ?? String(code)
            let reply = "\(text) [\(endpoint.display): \(outcome.errorText)]"
            return .failure(code >= 500 ? .permanent(code: code, reply: reply) : .transient(code: code, reply: reply))
        }
        let reason = "\(endpoint.display): \(outcome.errorText)"
        switch outcome.code {
        case .unsupportedProtocol, .urlMalformat, .notBuiltIn:
            return .failure(.configuration(reason))
        case .loginDenied:
            return .failure(.permanent(code: nil, reply: "authentication failed at \(reason)"))
        case .operationTimedOut:
            return .failure(.transient(code: nil, reply: "timed out talking to \(reason)"))
        case .couldNotConnect, .couldNotResolveHost:
            return .failure(.transient(code: nil, reply: "cannot connect to \(reason)"))
        case .useSSLFailed, .sslConnectError, .peerFailedVerification, .sslCACertBadFile:
            return .failure(.transient(code: nil, reply: "TLS failed with \(reason)"))
        default:
            return .failure(.transient(code: nil, reply: "connection to \(reason)"))
        }
    }

    /// `text` without the password, should a server or libcurl ever echo it.
    private func redacted(_ text: String) -> String {
        guard let password, !password.isEmpty else { return text }
        return text.replacingOccurrences(of: password, with: "<redacted>")
    }

    private func redacted(_ error: MailError) -> MailError {
        switch error {
        case .transient(let code, let reply): return .transient(code: code, reply: redacted(reply))
        case .permanent(let code, let reply): return .permanent(code: code, reply: redacted(reply))
        case .configuration(let message): return .configuration(redacted(message))
        default: return error
        }
    }
}
