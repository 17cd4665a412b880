/// What may happen to an invoice in each status: the lifecycle rules, apart from storage.
///
/// draft → issued → (paid ↔ issued, by payments) ; draft or issued → cancelled. Once issued,
/// lines and amounts are fixed; corrections are credit notes.
public enum InvoiceLifecycle {
    /// A change a tenant asks for.
    public enum Action: Sendable, Equatable {
        case edit, issue, cancel, credit, recordDelivery
    }

    /// An action that moves the invoice to another status.
    public enum Transition: Sendable, Equatable {
        case issue, cancel

        public var action: Action { self == .issue ? .issue : .cancel }
        /// The status it leads to.
        public var target: InvoiceStatus { self == .issue ? .issued : .cancelled }
    }

    /// Refuses `action` on an invoice in `status` with the conflict the tenant sees.
    public static func check(_ action: Action, from status: InvoiceStatus) throws(BillingError) {
        let correct = status == .issued || status == .paid ? "issue a credit note instead" : nil
        switch action {
        case .edit where status != .draft:
            throw refusal(status, "edited", advice: correct)
        case .issue where status != .draft:
            throw refusal(status, status == .issued ? "issued again" : "issued")
        case .cancel where status != .draft && status != .issued:
            throw refusal(status, status == .cancelled ? "cancelled again" : "cancelled", advice: correct)
        case .credit where status != .issued && status != .paid:
            throw refusal(status, "credited", advice: status == .draft ? "issue it first, or edit the draft" : nil)
        case .recordDelivery where status == .draft:
            throw refusal(status, "marked as delivered", advice: "issue it first")
        default:
            return
        }
    }

    /// The one answer for "this status forbids that", on every route: 409 `invalid_status`
    /// with a sentence naming the status and the action ("an issued invoice cannot be edited").
    public static func refusal(_ status: InvoiceStatus, _ verb: String, advice: String? = nil) -> BillingError {
        .conflict(code: "invalid_status", message: "\(status.withArticle) invoice cannot be \(verb)" + (advice.map { "; \($0)" } ?? ""))
    }
}

extension InvoiceStatus {
    /// "a draft", "an issued", "a paid", "a cancelled".
    public var withArticle: String { (self == .issued ? "an " : "a ") + rawValue }
}
