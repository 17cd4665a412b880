import Foundation

/// How Billport sends mail, decoded from config once and handed to the worker.
///
/// The defaults write to an outbox folder, so that a machine without an SMTP server still
/// runs end to end; set `transport` to `.smtp` and `url` to use a relay.
public struct MailConfiguration: Sendable, Equatable {
    /// Which transport `makeTransport()` builds.
    public enum TransportKind: String, Sendable, CaseIterable {
        /// An SMTP relay at `url`.
        case smtp
        /// `.eml` files in `outboxDirectory`.
        case outbox
    }

    /// Whether an `smtp://` connection upgrades with STARTTLS (RFC 3207). `smtps://` is TLS
    /// from the first byte and ignores this.
    public enum StartTLS: String, Sendable, CaseIterable {
        /// Upgrade or fail (libcurl CURLUSESSL_ALL): the safe choice for a remote relay.
        case required
        /// Upgrade when offered, else go on in clear text (CURLUSESSL_TRY).
        case optional
        /// Never upgrade (CURLUSESSL_NONE): a relay on the same host.
        case off
    }

    /// `smtp` or `outbox`.
    public var transport: TransportKind
    /// `smtp://host:port` or `smtps://host:port`, without credentials or a path.
    public var url: String
    /// AUTH user name; nil sends without AUTH.
    public var username: String?
    /// AUTH password. Never logged, never in an error, redacted from `description`.
    public var password: String?
    /// STARTTLS policy for `smtp://`.
    public var startTLS: StartTLS
    /// How long connecting (TCP and TLS) may take.
    public var connectTimeout: Duration
    /// How long one message may take in all, connecting included.
    public var timeout: Duration
    /// The name sent in EHLO/HELO; nil lets libcurl choose.
    public var heloName: String?
    /// A PEM bundle of CAs to trust instead of the system's (a private relay).
    public var caFile: String?
    /// Skips certificate and host name checks. For tests against a self-signed server only.
    public var insecureSkipVerify: Bool
    /// The default `From` address.
    public var fromAddress: String
    /// The default `From` display name.
    public var fromName: String?
    /// Where the outbox transport writes `.eml` files.
    public var outboxDirectory: String
    /// A `mailto:` for `List-Unsubscribe` beside the HTTPS one-click link.
    public var unsubscribeMailto: String?

    /// Defaults: outbox in `data/outbox`; for SMTP, `smtp://127.0.0.1:25`, STARTTLS required,
    /// 10 s to connect, 60 s per message.
    public init(transport: TransportKind = .outbox, url: String = "smtp://127.0.0.1:25", username: String? = nil,
                password: String? = nil, startTLS: StartTLS = .required, connectTimeout: Duration = .seconds(10),
                timeout: Duration = .seconds(60), heloName: String? = nil, caFile: String? = nil,
                insecureSkipVerify: Bool = false, fromAddress: String = "billing@localhost", fromName: String? = nil,
                outboxDirectory: String = "data/outbox", unsubscribeMailto: String? = nil) {
        self.transport = transport
        self.url = url
        self.username = username
        self.password = password
        self.startTLS = startTLS
        self.connectTimeout = connectTimeout
        self.timeout = timeout
        self.heloName = heloName
        self.caFile = caFile
        self.insecureSkipVerify = insecureSkipVerify
        self.fromAddress = fromAddress
        self.fromName = fromName
        self.outboxDirectory = outboxDirectory
        self.unsubscribeMailto = unsubscribeMailto
    }

    /// The default `From` mailbox.
    public var defaultFrom: MailAddress { MailAddress(fromAddress, name: fromName) }

    /// Checks everything that can be checked without connecting; the executable calls it once
    /// at start. Throws `.configuration` with a message naming the key.
    public func validate() throws(MailError) {
        do {
            try defaultFrom.validate(field: "mail.from")
        } catch {
            throw .configuration("mail.from: \(error)")
        }
        if let unsubscribeMailto {
            do {
                try MailAddress.validate(address: unsubscribeMailto.replacingOccurrences(of: "mailto:", with: ""),
                                         field: "mail.unsubscribeMailto")
            } catch {
                throw .configuration("mail.unsubscribeMailto: \(error)")
            }
        }
        switch transport {
        case .outbox:
            guard !outboxDirectory.isEmpty else { throw .configuration("mail.outboxDirectory is empty") }
        case .smtp:
            _ = try SMTPEndpoint(configuration: self)
            guard connectTimeout > .zero, timeout > .zero else { throw .configuration("mail timeouts must be positive") }
            if (username == nil) != (password == nil) {
                throw .configuration("mail.username and mail.password go together")
            }
        }
    }

    /// The transport `transport` names, validated.
    public func makeTransport() throws(MailError) -> any MailTransport {
        try validate()
        switch transport {
        case .smtp: return try SMTPTransport(configuration: self)
        case .outbox: return OutboxTransport(directory: outboxDirectory)
        }
    }
}

extension MailConfiguration: CustomStringConvertible, CustomReflectable {
    /// Every setting, with the password replaced by `<redacted>`.
    public var description: String {
        "MailConfiguration(" + customMirror.children.map { "\($0.label ?? ""): \($0.value)" }.joined(separator: ", ") + ")"
    }

    /// What `dump` and debuggers show: the password redacted here too.
    public var customMirror: Mirror {
        func text(_ value: String?) -> String { value ?? "nil" }
        return Mirror(self, children: [
            "transport": transport.rawValue, "url": url, "username": text(username),
            "password": password == nil ? "nil" : "<redacted>", "startTLS": startTLS.rawValue,
            "connectTimeout": "\(connectTimeout)", "timeout": "\(timeout)", "heloName": text(heloName),
            "caFile": text(caFile), "insecureSkipVerify": "\(insecureSkipVerify)", "fromAddress": fromAddress,
            "fromName": text(fromName), "outboxDirectory": outboxDirectory, "unsubscribeMailto": text(unsubscribeMailto),
        ], displayStyle: .struct)
    }
}
