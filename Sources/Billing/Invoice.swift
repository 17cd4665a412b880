import BillportCore
import Foundation

/// Receivable (the tenant bills its customer) or payable (a bill the tenant received).
public enum InvoiceType: String, Sendable, Codable, CaseIterable {
    case ar = "AR"
    case ap = "AP"
}

/// An invoice's life: drafts can change; issued invoices are fixed and payable; paid and
/// cancelled are final.
public enum InvoiceStatus: String, Sendable, Codable, CaseIterable {
    case draft, issued, paid, cancelled
}

/// Whether the invoice reached its buyer.
public enum DeliveryStatus: String, Sendable, Codable, CaseIterable {
    case notSent = "not_sent"
    case queued, sent, failed
}

/// A quantity with up to four decimal places (1.5 hours, 0.25 kg), kept as an integer count of
/// ten-thousandths so that no arithmetic on it is floating point.
public struct Quantity: Sendable, Hashable, Comparable {
    /// The quantity × 10,000.
    public let tenThousandths: Int64

    public init(tenThousandths: Int64) { self.tenThousandths = tenThousandths }

    /// The quantity a JSON number stands for; nil when it has more than four decimals or is out of range.
    public init?(_ value: Double) {
        let scaled = value * 10_000
        guard value.isFinite, abs(scaled) < 1e15, abs(scaled - scaled.rounded()) < 1e-6 else { return nil }
        tenThousandths = Int64(scaled.rounded())
    }

    /// The value as a JSON number again.
    public var doubleValue: Double { Double(tenThousandths) / 10_000 }

    public static func < (lhs: Quantity, rhs: Quantity) -> Bool { lhs.tenThousandths < rhs.tenThousandths }
}

/// A tax rate in percent with up to two decimals (19, 7.7, 0), kept in hundredths of a percent.
public struct TaxRate: Sendable, Hashable, Comparable {
    /// The percentage × 100 (19 % → 1900).
    public let hundredthsOfPercent: Int64

    public init(hundredthsOfPercent: Int64) { self.hundredthsOfPercent = hundredthsOfPercent }

    /// The rate a JSON number stands for; nil when negative, over 100 or with more than two decimals.
    public init?(percent: Double) {
        let scaled = percent * 100
        guard percent.isFinite, (0...100).contains(percent), abs(scaled - scaled.rounded()) < 1e-6 else { return nil }
        hundredthsOfPercent = Int64(scaled.rounded())
    }

    public var percent: Double { Double(hundredthsOfPercent) / 100 }

    public static func < (lhs: TaxRate, rhs: TaxRate) -> Bool { lhs.hundredthsOfPercent < rhs.hundredthsOfPercent }
}

/// One line of an invoice, with its net amount computed by `InvoiceMath`.
public struct InvoiceLine: Sendable, Hashable {
    public let description: String
    public let quantity: Quantity
    /// Price of one unit in minor units.
    public let unitPrice: Int64
    public let taxRate: TaxRate
    /// quantity × unit price, rounded to the currency's invoice precision (`Currency.amountStep`).
    public let net: Int64
    public let unitCode: UnitCode
    public let vatCategory: VATCategory
    /// Why no VAT is charged, for the categories that need it (`VATCategory.needsExemptionReason`).
    public let exemptionReason: String?

    public init(description: String, quantity: Quantity, unitPrice: Int64, taxRate: TaxRate, net: Int64,
                unitCode: UnitCode = .one, vatCategory: VATCategory? = nil, exemptionReason: String? = nil) {
        self.description = description
        self.quantity = quantity
        self.unitPrice = unitPrice
        self.taxRate = taxRate
        self.net = net
        self.unitCode = unitCode
        self.vatCategory = vatCategory ?? .implied(by: taxRate)
        self.exemptionReason = exemptionReason
    }
}

/// Tax in one VAT category at one rate: the taxable amount (line nets, less allowances, plus
/// charges) and the tax on it — one row of the invoice's VAT breakdown.
public struct TaxLine: Sendable, Hashable {
    public let category: VATCategory
    public let rate: TaxRate
    public let base: Int64
    public let amount: Int64
    /// The note the invoice prints for this category (exempt, reverse charge …); nil for taxed ones.
    public let exemptionReason: String?

    public init(category: VATCategory, rate: TaxRate, base: Int64, amount: Int64, exemptionReason: String?) {
        self.category = category
        self.rate = rate
        self.base = base
        self.amount = amount
        self.exemptionReason = exemptionReason
    }
}

/// What an invoice adds up to (EN 16931 document totals).
public struct InvoiceTotals: Sendable, Hashable {
    /// The sum of the line nets.
    public let subtotal: Int64
    public let allowanceTotal: Int64
    public let chargeTotal: Int64
    public let taxes: [TaxLine]
    public let taxTotal: Int64
    /// Tax basis + tax.
    public let total: Int64

    public init(subtotal: Int64, allowanceTotal: Int64 = 0, chargeTotal: Int64 = 0, taxes: [TaxLine], taxTotal: Int64, total: Int64) {
        self.subtotal = subtotal
        self.allowanceTotal = allowanceTotal
        self.chargeTotal = chargeTotal
        self.taxes = taxes
        self.taxTotal = taxTotal
        self.total = total
    }

    /// Subtotal − allowances + charges: what VAT is computed on.
    public var taxBasis: Int64 { total - taxTotal }
}

/// When the goods or services were delivered: a day or a period.
public enum SupplyTime: Sendable, Hashable {
    case date(CalendarDate)
    case period(start: CalendarDate, end: CalendarDate)
}

/// A stored invoice as the tenant API shows it.
public struct Invoice: Sendable, Hashable {
    public let id: Int64
    public let publicID: String
    public let customerID: Int64
    public let type: InvoiceType
    public let number: String
    public let status: InvoiceStatus
    public let deliveryStatus: DeliveryStatus
    public let currency: Currency
    public let issueDate: CalendarDate
    public let dueDate: CalendarDate
    public let notes: String?
    public let allowPartialPayments: Bool
    public let minimumPaymentAmount: Int64?
    public let lines: [InvoiceLine]
    public let allowanceCharges: [AllowanceCharge]
    public let totals: InvoiceTotals
    /// Supply date or service period, when the tenant gave one.
    public let supply: SupplyTime?
    /// Payment terms as printed (`Payable within 14 days without deduction`).
    public let paymentTerms: String?
    /// Seller and buyer as they were when the invoice was issued; nil for drafts (and for invoices
    /// issued before parties were recorded), which show the current ones.
    public let parties: InvoiceParties?
    public let amountPaid: Int64
    /// The sum of the credit notes issued against it.
    public let amountCredited: Int64
    public let createdAt: Date
    public let issuedAt: Date?

    public init(id: Int64,
                publicID: String,
                customerID: Int64,
                type: InvoiceType,
                number: String,
                status: InvoiceStatus,
                deliveryStatus: DeliveryStatus,
                currency: Currency,
                issueDate: CalendarDate,
                dueDate: CalendarDate,
                notes: String?,
                allowPartialPayments: Bool,
                minimumPaymentAmount: Int64?,
                lines: [InvoiceLine],
                allowanceCharges: [AllowanceCharge] = [],
                totals: InvoiceTotals,
                supply: SupplyTime? = nil,
                paymentTerms: String? = nil,
                parties: InvoiceParties? = nil,
                amountPaid: Int64,
                amountCredited: Int64,
                createdAt: Date,
                issuedAt: Date?) {
        self.id = id
        self.publicID = publicID
        self.customerID = customerID
        self.type = type
        self.number = number
        self.status = status
        self.deliveryStatus = deliveryStatus
        self.currency = currency
        self.issueDate = issueDate
        self.dueDate = dueDate
        self.notes = notes
        self.allowPartialPayments = allowPartialPayments
        self.minimumPaymentAmount = minimumPaymentAmount
        self.lines = lines
        self.allowanceCharges = allowanceCharges
        self.totals = totals
        self.supply = supply
        self.paymentTerms = paymentTerms
        self.parties = parties
        self.amountPaid = amountPaid
        self.amountCredited = amountCredited
        self.createdAt = createdAt
        self.issuedAt = issuedAt
    }

    /// What the buyer still owes.
    public var amountDue: Int64 { Self.amountDue(total: totals.total, paid: amountPaid, credited: amountCredited, status: status) }

    /// Money received beyond what was due (checkouts paid in parallel, a payment to a cancelled
    /// invoice): the tenant refunds it. Shown as its own positive line, never folded into
    /// "amount paid" as a negative amount due.
    public var amountOverpaid: Int64 {
        Self.overpaid(total: totals.total, paid: amountPaid, credited: amountCredited, status: status)
    }

    /// What is owed on `total` after payments and credit notes: nothing on a cancelled invoice,
    /// never negative, never a trap.
    public static func amountDue(total: Int64, paid: Int64, credited: Int64, status: InvoiceStatus) -> Int64 {
        status == .cancelled ? 0 : MoneyArithmetic.remainder(of: total, less: paid, credited)
    }

    /// What payments exceed on `total` after credit notes; all of it on a cancelled invoice.
    public static func overpaid(total: Int64, paid: Int64, credited: Int64, status: InvoiceStatus) -> Int64 {
        status == .cancelled ? max(0, paid) : MoneyArithmetic.remainder(of: paid, less: MoneyArithmetic.remainder(of: total, less: credited))
    }
}
