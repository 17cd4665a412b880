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
        switch action {
        case .edit where status != .draft:
            throw .conflict(code: "invoice_not_draft", message: "a \(status.rawValue) invoice cannot change; issue a credit note instead")
        case .issue where status != .draft:
            throw .conflict(code: "invalid_status", message: "a \(status.rawValue) invoice cannot be issued")
        case .cancel where status != .draft && status != .issued:
            throw .conflict(code: "invalid_status", message: "a \(status.rawValue) invoice cannot be cancelled")
        case .credit where status != .issued && status != .paid:
            throw .conflict(code: "invalid_status", message: "credit notes need an issued invoice; this one is \(status.rawValue)")
        case .recordDelivery where status == .draft:
            throw .conflict(code: "invoice_draft", message: "issue the invoice before recording its delivery")
        default:
            return
        }
    }
}
