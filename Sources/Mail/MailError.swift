/// Why a message could not be built or sent.
///
/// The queue decides what to do from the case alone: `transient` is worth another attempt
/// later (SMTP 4xx, connection, timeout and TLS failures), `permanent` is not (SMTP 5xx); the
/// message errors are programming or data errors that no retry fixes.
public enum MailError: Error, Sendable, Equatable {
    /// A header value or address contained CR or LF, which would let it add headers of its own.
    case headerInjection(field: String)
    /// An address that is not `local@domain` (see `MailAddress.validate`).
    case invalidAddress(field: String, address: String, reason: String)
    /// A header, attachment or other message field that cannot be rendered.
    case invalidField(field: String, reason: String)
    /// The server or the network may accept the message later: SMTP 4xx (`code`), or no SMTP
    /// reply at all (`code` nil: connection refused, timeout, TLS). `reply` is the server's
    /// reply, or what failed, with libcurl's error text.
    case transient(code: Int?, reply: String)
    /// The server refused for good (SMTP 5xx).
    case permanent(code: Int?, reply: String)
    /// The transport's configuration is unusable (bad URL, unsupported option).
    case configuration(String)
    /// The outbox could not write the file.
    case outbox(path: String, reason: String)

    /// Whether another attempt later may succeed.
    public var isTransient: Bool {
        if case .transient = self { return true }
        return false
    }
}

extension MailError: CustomStringConvertible {
    /// One line for logs and job error columns; never holds a password (transports redact it).
    public var description: String {
        switch self {
        case .headerInjection(let field):
            return "mail: \(field) contains CR or LF (header injection refused)"
        case .invalidAddress(let field, let address, let reason):
            return "mail: \(field) address '\(Self.printable(address))' is invalid: \(reason)"
        case .invalidField(let field, let reason):
            return "mail: \(field) is invalid: \(reason)"
        case .transient(let code, let reply):
            return "mail: temporary failure\(code.map { " (\($0))" } ?? ""): \(reply)"
        case .permanent(let code, let reply):
            return "mail: permanent failure\(code.map { " (\($0))" } ?? ""): \(reply)"
        case .configuration(let message):
            return "mail: configuration: \(message)"
        case .outbox(let path, let reason):
            return "mail: cannot write \(path): \(reason)"
        }
    }

    /// `text` with control characters escaped, so that an error line stays one line.
    static func printable(_ text: String) -> String {
        String(text.unicodeScalars.flatMap { scalar -> [Character] in
            scalar.value < 0x20 || scalar.value == 0x7F ? Array(scalar.escaped(asASCII: true)) : [Character(scalar)]
        })
    }
}
