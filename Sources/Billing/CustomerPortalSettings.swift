import BillportCore

/// What the tenant decides about its customer portal.
public struct CustomerPortalSettings: Sendable, Hashable, Codable {
    /// Master switch: off, every portal link answers "Portal not available".
    public var enabled: Bool
    /// Days a new portal token lasts, 1–365.
    public var tokenExpiryDays: Int
    public var showCreditNotes: Bool
    public var showStatement: Bool
    public var showSalesOrders: Bool
    /// Whether customers may write to the tenant from the portal (off until the tenant opts in,
    /// so that nobody writes into a box no one reads).
    public var allowMessages: Bool
    /// Shown at the top of the portal, at most 500 characters.
    public var welcomeMessage: String?

    public init(enabled: Bool = true, tokenExpiryDays: Int = 30, showCreditNotes: Bool = true, showStatement: Bool = true,
                showSalesOrders: Bool = true, allowMessages: Bool = false, welcomeMessage: String? = nil) {
        self.enabled = enabled
        self.tokenExpiryDays = tokenExpiryDays
        self.showCreditNotes = showCreditNotes
        self.showStatement = showStatement
        self.showSalesOrders = showSalesOrders
        self.allowMessages = allowMessages
        self.welcomeMessage = welcomeMessage
    }

    /// The first rule the settings break, naming the field.
    public func validate() throws(FieldError) {
        guard (1...365).contains(tokenExpiryDays) else { throw FieldError("tokenExpiryDays", "must be between 1 and 365 (got \(tokenExpiryDays))") }
        if let welcomeMessage, welcomeMessage.limitedLength > 500 {
            throw FieldError("welcomeMessage", "must be at most 500 characters (got \(welcomeMessage.count))")
        }
    }
}
