import Foundation

/// The one rule for what ever reaches a buyer (links, portal, PDFs, payment): an AR document
/// that was issued. AP bills are the tenant's own bookkeeping, and a draft cancelled before it
/// was issued never existed for the buyer. Every buyer-facing query applies the same rule in SQL; the
/// tenant API refuses to share or send what fails `isBuyerVisible`.
public enum BuyerVisibility {
    /// Why `invoice` may not be handed to its buyer, or nil when it may.
    public static func refusal(_ invoice: Invoice, verb: String) -> BillingError? {
        if invoice.type != .ar {
            return .conflict(code: "not_shareable", message: "an AP bill is internal and cannot be \(verb); only AR invoices reach a buyer")
        }
        if invoice.issuedAt == nil {
            return invoice.status == .draft
                ? InvoiceLifecycle.refusal(.draft, verb, advice: "issue it first")
                : InvoiceLifecycle.refusal(invoice.status, verb, advice: "it was never issued")
        }
        return nil
    }
}

extension Invoice {
    /// Whether a buyer may ever see this invoice (`BuyerVisibility`).
    public var isBuyerVisible: Bool { BuyerVisibility.refusal(self, verb: "shown") == nil }
}
