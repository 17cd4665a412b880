import BillportCore
import Foundation
import Billing

/// A page of invoices; pass `nextBefore` as `?before=` for the next page.
struct InvoiceListBody: Encodable {
    let data: [InvoiceRepresentation]
    let nextBefore: Int64?
}

/// A credit note as the tenant API shows it.
struct CreditNoteBody: Encodable {
    let id: Int64
    let invoiceId: Int64
    let number: String
    let amount: Int64
    let currency: String
    let reason: String?
    let createdAt: String

    init(_ note: CreditNote) {
        id = note.id
        invoiceId = note.invoiceID
        number = note.number
        amount = note.amount
        currency = note.currency.code
        reason = note.reason
        createdAt = ISO8601.format(note.createdAt)
    }
}
