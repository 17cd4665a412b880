import BillportCore
import Foundation

/// An invoice as the tenant API shows it and as events carry it: one type for both, so an
/// event's `data` is what `GET /api/invoices/{id}` answers. Amounts in minor units of `currency`.
public struct InvoiceRepresentation: Encodable, Sendable {
    public struct Line: Encodable, Sendable {
        let description: String
        let quantity: Double
        let unitPrice: Int64
        let taxRate: Double
        let net: Int64
        let unitCode: String
        let vatCategory: String
        let exemptionReason: String?

        public init(_ line: InvoiceLine) {
            description = line.description
            quantity = line.quantity.doubleValue
            unitPrice = line.unitPrice
            taxRate = line.taxRate.percent
            net = line.net
            unitCode = line.unitCode.code
            vatCategory = line.vatCategory.rawValue
            exemptionReason = line.exemptionReason
        }
    }
    /// One row of the VAT breakdown.
    public struct Tax: Encodable, Sendable {
        let category: String
        let rate: Double
        let base: Int64
        let amount: Int64
        let exemptionReason: String?

        public init(_ tax: TaxLine) {
            category = tax.category.rawValue
            rate = tax.rate.percent
            base = tax.base
            amount = tax.amount
            exemptionReason = tax.exemptionReason
        }
    }
    public struct AllowanceChargeBody: Encodable, Sendable {
        let kind: String
        let amount: Int64
        let reason: String
        let vatCategory: String
        let taxRate: Double
    }
    public struct Period: Encodable, Sendable { let start: String, end: String }

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
    let allowanceCharges: [AllowanceChargeBody]
    let supplyDate: String?
    let servicePeriod: Period?
    let paymentTerms: String?
    let subtotal: Int64
    let allowanceTotal: Int64
    let chargeTotal: Int64
    /// Subtotal − allowances + charges: what VAT is computed on.
    let taxBasis: Int64
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
    public var views: ViewStatsRepresentation?
    /// On `GET /api/invoices/{id}` and payment events: online payments, oldest first.
    public var payments: [PaymentRepresentation]?

    public init(_ invoice: Invoice) {
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
        lines = invoice.lines.map(Line.init)
        allowanceCharges = invoice.allowanceCharges.map {
            AllowanceChargeBody(kind: $0.kind.rawValue, amount: $0.amount, reason: $0.reason, vatCategory: $0.vatCategory.rawValue,
                                taxRate: $0.taxRate.percent)
        }
        switch invoice.supply {
        case .date(let day): (supplyDate, servicePeriod) = (day.description, nil)
        case .period(let start, let end): (supplyDate, servicePeriod) = (nil, Period(start: start.description, end: end.description))
        case nil: (supplyDate, servicePeriod) = (nil, nil)
        }
        paymentTerms = invoice.paymentTerms
        subtotal = invoice.totals.subtotal
        allowanceTotal = invoice.totals.allowanceTotal
        chargeTotal = invoice.totals.chargeTotal
        taxBasis = invoice.totals.taxBasis
        taxes = invoice.totals.taxes.map(Tax.init)
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

/// How often the buyer opened the invoice (aggregated by `views.aggregate`).
public struct ViewStatsRepresentation: Encodable, Sendable {
    let count: Int
    let uniqueIPs: Int
    let firstViewedAt: String?
    let lastViewedAt: String?
    let viewedRecently: Bool

    public init(_ stats: ViewStats, now: Date) {
        count = stats.count
        uniqueIPs = stats.uniqueIPs
        firstViewedAt = stats.firstViewedAt.map { ISO8601.format($0) }
        lastViewedAt = stats.lastViewedAt.map { ISO8601.format($0) }
        viewedRecently = stats.viewedRecently(now: now)
    }
}

/// A payment as the tenant API shows it.
public struct PaymentRepresentation: Encodable, Sendable {
    let provider = "stripe"
    let checkoutSessionId: String
    let paymentIntentId: String?
    let amount: Int64
    let currency: String
    let state: String
    let refunded: Int64
    /// Money beyond what was due; the tenant should refund it.
    let excess: Int64
    let createdAt: String
    let updatedAt: String

    public init(_ payment: PaymentRecord) {
        checkoutSessionId = payment.sessionID
        paymentIntentId = payment.paymentIntent
        amount = payment.amount
        currency = payment.currency
        state = payment.state.rawValue
        refunded = payment.refunded
        excess = payment.excess
        createdAt = ISO8601.format(payment.createdAt)
        updatedAt = ISO8601.format(payment.updatedAt)
    }
}
