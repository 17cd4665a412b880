/// What erasing a customer leaves in place of personal data.
public enum CustomerErasure {
    /// The name shown from then on, on invoices and in the portal.
    public static let name = "Erased customer"

    /// An address under the reserved `.invalid` domain (RFC 2606): nothing can be delivered to it.
    public static func email(customerID: Int64) -> String { "erased-\(customerID)@erased.invalid" }

    /// What an email log line shows instead of the recipient's address.
    public static let recipient = "erased"

    /// What stays of a portal message's text.
    public static let message = "[erased]"
}
