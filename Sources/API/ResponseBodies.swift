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
    let issueDate: String
    /// The credited total.
    let amount: Int64
    let currency: String
    let reason: String?
    let lines: [InvoiceRepresentation.Line]
    let subtotal: Int64?
    let taxes: [InvoiceRepresentation.Tax]
    let taxTotal: Int64?
    let createdAt: String

    init(_ note: CreditNote) {
        id = note.id
        invoiceId = note.invoiceID
        number = note.number
        issueDate = note.issueDate.description
        amount = note.amount
        currency = note.currency.code
        reason = note.reason
        lines = note.lines.map(InvoiceRepresentation.Line.init)
        subtotal = note.totals?.subtotal
        taxes = note.totals?.taxes.map(InvoiceRepresentation.Tax.init) ?? []
        taxTotal = note.totals?.taxTotal
        createdAt = ISO8601.format(note.createdAt)
    }
}
