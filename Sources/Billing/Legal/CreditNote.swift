import BillportCore
import Foundation

/// A credit note: a document of its own (number, date, reason, lines and VAT breakdown) that
/// takes an amount off an issued invoice — a discount granted afterwards, a returned item.
public struct CreditNote: Sendable, Hashable {
    public let id: Int64
    /// Opaque id for the buyer's routes.
    public let publicID: String
    public let invoiceID: Int64
    public let number: String
    public let issueDate: CalendarDate
    /// The credited total (gross), in minor units.
    public let amount: Int64
    public let currency: Currency
    public let reason: String?
    /// Empty for credit notes stored before they had lines: those have no document.
    public let lines: [InvoiceLine]
    public let totals: InvoiceTotals?
    public let createdAt: Date

    public init(id: Int64, publicID: String, invoiceID: Int64, number: String, issueDate: CalendarDate, amount: Int64, currency: Currency,
                reason: String?, lines: [InvoiceLine], totals: InvoiceTotals?, createdAt: Date) {
        self.id = id
        self.publicID = publicID
        self.invoiceID = invoiceID
        self.number = number
        self.issueDate = issueDate
        self.amount = amount
        self.currency = currency
        self.reason = reason
        self.lines = lines
        self.totals = totals
        self.createdAt = createdAt
    }
}

/// `POST /api/invoices/{id}/credit-notes`: lines, or just an amount when the invoice has one VAT
/// category and rate (the amount is then split into net and VAT at that rate).
public struct CreateCreditNoteRequest: Sendable, Decodable, KnownKeys {
    public var number: String
    public var amount: Int64?
    public var reason: String?
    public var issueDate: String?
    public var lines: [CreateInvoiceRequest.Line]?

    public enum CodingKeys: String, CodingKey, CaseIterable { case number, amount, reason, issueDate, lines }
    public static var nested: [String: any KnownKeys.Type] { ["lines": CreateInvoiceRequest.Line.self] }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        number = try container.decode(String.self, forKey: .number)
        amount = try container.decodeMinorUnitsIfPresent(forKey: .amount)
        reason = try container.decodeIfPresent(String.self, forKey: .reason)
        issueDate = try container.decodeIfPresent(String.self, forKey: .issueDate)
        lines = try container.decodeIfPresent([CreateInvoiceRequest.Line].self, forKey: .lines)
    }

    public init(number: String, amount: Int64?, reason: String?, issueDate: String? = nil, lines: [CreateInvoiceRequest.Line]? = nil) {
        self.number = number
        self.amount = amount
        self.reason = reason
        self.issueDate = issueDate
        self.lines = lines
    }
}

/// A validated credit note for one invoice, ready to store: every rule without I/O.
public struct CreditNoteDraft: Sendable {
    public let number: String
    public let issueDate: CalendarDate
    public let reason: String?
    public let lines: [InvoiceLine]
    public let totals: InvoiceTotals

    /// Checks `request` against the invoice it credits; `today` is the default date.
    public static func validate(_ request: CreateCreditNoteRequest, for invoice: Invoice, today: CalendarDate) throws(FieldError) -> CreditNoteDraft {
        let number = try LegalText.oneLine(request.number, field: "number", maximum: 64)
        let reason = try request.reason.map { raw throws(FieldError) in try LegalText.paragraph(raw, field: "reason", maximum: 500) }
        let issueDate = try request.issueDate.map { text throws(FieldError) in
            guard let day = CalendarDate(parsing: text) else { throw FieldError("issueDate", "must be a date YYYY-MM-DD (got \"\(text.prefix(20))\")") }
            return day
        } ?? today
        guard issueDate >= invoice.issueDate else { throw FieldError("issueDate", "must not be before the invoice's issue date \(invoice.issueDate)") }
        let inputs: [InvoiceMath.LineInput]
        if let lines = request.lines {
            inputs = try InvoiceLineRules.lines(lines)
            try InvoiceLineRules.checkCategoryMix(inputs, [])
        } else if let amount = request.amount {
            inputs = [try singleLine(amount: amount, description: reason.map { String($0.prefix(200)) } ?? "Credit on invoice \(invoice.number)", invoice: invoice)]
        } else {
            throw FieldError("amount", "give the amount to credit, or lines")
        }
        let computed: (lines: [InvoiceLine], totals: InvoiceTotals)
        do {
            computed = try InvoiceMath.compute(inputs, step: invoice.currency.amountStep)
        } catch {
            throw FieldError("lines", "add up to more than the invoice can be credited")
        }
        guard computed.totals.total > 0 else { throw FieldError(request.lines == nil ? "amount" : "lines", "must add up to at least 1 minor unit") }
        if let amount = request.amount, amount != computed.totals.total {
            throw FieldError("amount", "must equal what the lines add up to (\(computed.totals.total)) when both are given")
        }
        return CreditNoteDraft(number: number, issueDate: issueDate, reason: reason, lines: computed.lines, totals: computed.totals)
    }

    /// One line whose net plus its VAT is exactly `amount`, in the invoice's only VAT category and rate.
    static func singleLine(amount: Int64, description: String, invoice: Invoice) throws(FieldError) -> InvoiceMath.LineInput {
        guard amount > 0, amount <= InvoiceMath.maximumAmount else { throw FieldError("amount", "must be at least 1 minor unit") }
        guard invoice.totals.taxes.count == 1, let row = invoice.totals.taxes.first else {
            throw FieldError("lines", "are needed: the invoice has more than one VAT category or rate, so say what is credited at which rate")
        }
        let step = invoice.currency.amountStep
        let rate = Int128(row.rate.hundredthsOfPercent)
        let estimate = InvoiceMath.roundedDivision(Int128(amount) * 10_000, by: (10_000 + rate) * Int128(step)) * Int128(step)
        for net in [estimate, estimate - Int128(step), estimate + Int128(step)] where net > 0 {
            let tax = InvoiceMath.roundedDivision(net * rate, by: 10_000 * Int128(step)) * Int128(step)
            if net + tax == Int128(amount) {
                return InvoiceMath.LineInput(description: description, quantity: Quantity(tenThousandths: 10_000), unitPrice: Int64(net),
                                             taxRate: row.rate, vatCategory: row.category, exemptionReason: row.exemptionReason)
            }
        }
        throw FieldError("amount", "cannot be split exactly into a net amount and \(row.rate.percent) % VAT; give lines instead")
    }
}
