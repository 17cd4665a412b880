import Billing
import Mail
import Tokens

/// Where email links point and who messages come from.
public struct EmailSettings: Sendable {
    public var from: MailAddress
    /// `http.publicBaseURL`: links in messages are built from it, never from a request.
    public var publicBaseURL: String
    public var unsubscribeTokens: UnsubscribeTokens
    /// A `mailto:` for `List-Unsubscribe` beside the HTTPS URL, when the tenant runs one.
    public var unsubscribeMailto: String?
    /// Days after the due date at which `reminders.overdue` reminds.
    public var reminderOffsets: [Int]

    public init(from: MailAddress, publicBaseURL: String, unsubscribeTokens: UnsubscribeTokens, unsubscribeMailto: String? = nil,
                reminderOffsets: [Int] = ReminderRule.defaultOffsets) {
        self.from = from
        self.publicBaseURL = publicBaseURL
        self.unsubscribeTokens = unsubscribeTokens
        self.unsubscribeMailto = unsubscribeMailto
        self.reminderOffsets = reminderOffsets
    }
}
