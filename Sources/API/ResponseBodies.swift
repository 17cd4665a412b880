import BillportCore
import Foundation
import Billing

/// A customer as the tenant API shows it.
struct CustomerBody: Encodable {
    let id: Int64
    let name: String
    let email: String
    let preferences: Customer.Preferences
    let createdAt: String
    /// Set once the customer's personal data was erased.
    let erasedAt: String?

    init(_ customer: Customer) {
        id = customer.id
        name = customer.name
        email = customer.email
        preferences = customer.preferences
        createdAt = ISO8601.format(customer.createdAt)
        erasedAt = customer.erasedAt.map { ISO8601.format($0) }
    }
}

/// An invoice as the tenant API shows it; amounts in minor units of `currency`.
struct InvoiceBody: Encodable {
    struct Line: Encodable {
        let description: String
        let quantity: Double
        let unitPrice: Int64
        let taxRate: Double
        let net: Int64
    }
    struct Tax: Encodable {
        let rate: Double
        let base: Int64
        let amount: Int64
    }

    let id: Int64
    let publicId: String
    let customerId: Int64
    let type: String
    let number: String
    let status: String
    let deliveryStatus: String
    let currency: String
    let issueDate: String
    let dueDate: String
    let notes: String?
    let allowPartialPayments: Bool
    let minimumPaymentAmount: Int64?
    let lines: [Line]
    let subtotal: Int64
    let taxes: [Tax]
    let taxTotal: Int64
    let total: Int64
    let amountPaid: Int64
    let amountCredited: Int64
    let amountDue: Int64
    /// Money received beyond what was due, to refund; 0 normally, never negative.
    let amountOverpaid: Int64
    let createdAt: String
    let issuedAt: String?
    /// Only on `GET /api/invoices/{id}`.
    var views: ViewStatsBody?
    /// Only on `GET /api/invoices/{id}`: online payments, oldest first.
    var payments: [PaymentBody]?

    init(_ invoice: Invoice) {
        id = invoice.id
        publicId = invoice.publicID
        customerId = invoice.customerID
        type = invoice.type.rawValue
        number = invoice.number
        status = invoice.status.rawValue
        deliveryStatus = invoice.deliveryStatus.rawValue
        currency = invoice.currency.code
        issueDate = invoice.issueDate.description
        dueDate = invoice.dueDate.description
        notes = invoice.notes
        allowPartialPayments = invoice.allowPartialPayments
        minimumPaymentAmount = invoice.minimumPaymentAmount
        lines = invoice.lines.map {
            Line(description: $0.description, quantity: $0.quantity.doubleValue, unitPrice: $0.unitPrice, taxRate: $0.taxRate.percent, net: $0.net)
        }
        subtotal = invoice.totals.subtotal
        taxes = invoice.totals.taxes.map { Tax(rate: $0.rate.percent, base: $0.base, amount: $0.amount) }
        taxTotal = invoice.totals.taxTotal
        total = invoice.totals.total
        amountPaid = invoice.amountPaid
        amountCredited = invoice.amountCredited
        amountDue = invoice.amountDue
        amountOverpaid = invoice.amountOverpaid
        createdAt = ISO8601.format(invoice.createdAt)
        issuedAt = invoice.issuedAt.map { ISO8601.format($0) }
    }
}

/// A page of invoices; pass `nextBefore` as `?before=` for the next page.
struct InvoiceListBody: Encodable {
    let data: [InvoiceBody]
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

/// How often the buyer opened the invoice (aggregated by `views.aggregate`).
struct ViewStatsBody: Encodable {
    let count: Int
    let uniqueIPs: Int
    let firstViewedAt: String?
    let lastViewedAt: String?
    let viewedRecently: Bool

    init(_ stats: ViewStats, now: Date) {
        count = stats.count
        uniqueIPs = stats.uniqueIPs
        firstViewedAt = stats.firstViewedAt.map { ISO8601.format($0) }
        lastViewedAt = stats.lastViewedAt.map { ISO8601.format($0) }
        viewedRecently = stats.viewedRecently(now: now)
    }
}
