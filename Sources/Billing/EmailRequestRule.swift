import BillportCore

/// What a tenant may ask Billport to send: the input rules of the send routes, apart from
/// storage. Each refusal names the field.
public enum EmailRequestRule {
    /// A message about the customer's account: the portal link (an optional note of at most
    /// 2,000 characters) or marketing (a one-line subject and a text of 1 to 5,000 characters).
    public static func checkCustomerMessage(category: EmailCategory, subject: String?, message: String?) throws(BillingError) {
        guard category == .portal || category == .marketing else {
            throw .invalid(FieldError("category", "must be portal or marketing (invoices and reminders go per invoice)"))
        }
        if category == .marketing {
            guard let subject, (1...200).contains(subject.limitedLength), !subject.contains(where: \.isNewline) else {
                throw .invalid(FieldError("subject", "must be 1 to 200 characters on one line"))
            }
            guard let message, (1...5000).contains(message.limitedLength) else { throw .invalid(FieldError("message", "must be 1 to 5000 characters")) }
        } else {
            try checkNote(message)
        }
    }

    /// An invoice sent to 1 to 10 explicit addresses (or its customer), with an optional note.
    public static func checkInvoiceMessage(recipients: [String]?, message: String?) throws(BillingError) {
        if let recipients {
            guard (1...10).contains(recipients.count) else { throw .invalid(FieldError("recipients", "must list 1 to 10 addresses")) }
            for (index, address) in recipients.enumerated() where !EmailAddress.isPlausible(address) {
                throw .invalid(FieldError("recipients[\(index)]", "is not an email address"))
            }
        }
        try checkNote(message)
    }

    private static func checkNote(_ message: String?) throws(BillingError) {
        if let message, message.limitedLength > 2000 { throw .invalid(FieldError("message", "must be at most 2000 characters")) }
    }
}
