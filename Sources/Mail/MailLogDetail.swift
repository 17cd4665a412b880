/// What the tenant-visible email log may say about a delivery. Tenants see the relay's reply and
/// why a message failed, never where the server keeps files: outbox paths and the outbox's own
/// errors (which name folders) stay in the operator's log.
extension MailReceipt {
    /// The log's `detail` for a delivered message.
    public var logDetail: String? {
        if let reply { return reply }
        return path == nil ? nil : "written to the outbox"
    }
}

extension MailError {
    /// The log's `detail` for a failed message: `description`, except for failures whose text
    /// names the server's files or settings.
    public var logDetail: String {
        switch self {
        case .outbox:
            return "mail: the server could not write the message to its outbox"
        case .configuration:
            return "mail: the server's mail settings are unusable"
        default:
            return description
        }
    }
}
