import BillportCore
import Foundation

/// A field the request got wrong: named as in the request (`lines[0].quantity`).
public struct FieldError: Error, Sendable, Equatable, CustomStringConvertible {
    public let field: String
    public let message: String

    public init(_ field: String, _ message: String) {
        self.field = field
        self.message = message
    }

    public var description: String { "\(field) \(message)" }
}

/// `POST /api/invoices`, as sent (amounts in minor units; totals are computed by the server).
public struct CreateInvoiceRequest: Sendable, Decodable, KnownKeys {
    public struct Line: Sendable, Decodable, KnownKeys {
        public var description: String
        public var quantity: Double
        public var unitPrice: Int64
        public var taxRate: Double?
        /// UN/ECE Recommendation 20 unit; `C62` ("one") when absent.
        public var unitCode: String?
        /// `S`, `Z`, `E`, `AE`, `K`, `G` or `O`; `S` when taxed and `Z` otherwise when absent.
        public var vatCategory: String?
        public var exemptionReason: String?

        public enum CodingKeys: String, CodingKey, CaseIterable {
            case description, quantity, unitPrice, taxRate, unitCode, vatCategory, exemptionReason
        }

        /// As synthesized, except that `unitPrice` must be an integer amount in minor units.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            description = try container.decode(String.self, forKey: .description)
            quantity = try container.decode(Double.self, forKey: .quantity)
            unitPrice = try container.decodeMinorUnits(forKey: .unitPrice)
            taxRate = try container.decodeIfPresent(Double.self, forKey: .taxRate)
            unitCode = try container.decodeIfPresent(String.self, forKey: .unitCode)
            vatCategory = try container.decodeIfPresent(String.self, forKey: .vatCategory)
            exemptionReason = try container.decodeIfPresent(String.self, forKey: .exemptionReason)
        }
    }

    /// A document-level allowance (discount) or charge (freight), in minor units.
    public struct AllowanceChargeInput: Sendable, Decodable, KnownKeys {
        public var kind: String
        public var amount: Int64
        public var reason: String
        public var vatCategory: String?
        public var taxRate: Double?

        public enum CodingKeys: String, CodingKey, CaseIterable { case kind, amount, reason, vatCategory, taxRate }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            kind = try container.decode(String.self, forKey: .kind)
            amount = try container.decodeMinorUnits(forKey: .amount)
            reason = try container.decode(String.self, forKey: .reason)
            vatCategory = try container.decodeIfPresent(String.self, forKey: .vatCategory)
            taxRate = try container.decodeIfPresent(Double.self, forKey: .taxRate)
        }

        public init(kind: String, amount: Int64, reason: String, vatCategory: String?, taxRate: Double?) {
            self.kind = kind
            self.amount = amount
            self.reason = reason
            self.vatCategory = vatCategory
            self.taxRate = taxRate
        }
    }

    /// `servicePeriod`: first and last day.
    public struct PeriodInput: Sendable, Codable, Equatable, KnownKeys {
        public var start: String
        public var end: String

        public enum CodingKeys: String, CodingKey, CaseIterable { case start, end }

        public init(start: String, end: String) {
            self.start = start
            self.end = end
        }
    }

    public var customerId: Int64
    public var type: String?
    public var number: String
    public var currency: String
    public var issueDate: String
    public var dueDate: String
    public var notes: String?
    public var allowPartialPayments: Bool?
    public var minimumPaymentAmount: Int64?
    public var lines: [Line]
    public var supplyDate: String?
    public var servicePeriod: PeriodInput?
    public var paymentTerms: String?
    public var allowanceCharges: [AllowanceChargeInput]?

    public static var nested: [String: any KnownKeys.Type] {
        ["lines": Line.self, "servicePeriod": PeriodInput.self, "allowanceCharges": AllowanceChargeInput.self]
    }

    public enum CodingKeys: String, CodingKey, CaseIterable {
        case customerId, type, number, currency, issueDate, dueDate, notes, allowPartialPayments, minimumPaymentAmount, lines
        case supplyDate, servicePeriod, paymentTerms, allowanceCharges
    }

    /// As synthesized, except that `minimumPaymentAmount` must be an integer amount in minor units.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        customerId = try container.decode(Int64.self, forKey: .customerId)
        type = try container.decodeIfPresent(String.self, forKey: .type)
        number = try container.decode(String.self, forKey: .number)
        currency = try container.decode(String.self, forKey: .currency)
        issueDate = try container.decode(String.self, forKey: .issueDate)
        dueDate = try container.decode(String.self, forKey: .dueDate)
        notes = try container.decodeIfPresent(String.self, forKey: .notes)
        allowPartialPayments = try container.decodeIfPresent(Bool.self, forKey: .allowPartialPayments)
        minimumPaymentAmount = try container.decodeMinorUnitsIfPresent(forKey: .minimumPaymentAmount)
        lines = try container.decode([Line].self, forKey: .lines)
        supplyDate = try container.decodeIfPresent(String.self, forKey: .supplyDate)
        servicePeriod = try container.decodeIfPresent(PeriodInput.self, forKey: .servicePeriod)
        paymentTerms = try container.decodeIfPresent(String.self, forKey: .paymentTerms)
        allowanceCharges = try container.decodeIfPresent([AllowanceChargeInput].self, forKey: .allowanceCharges)
    }
}

/// A validated invoice ready to store: every rule about a new invoice, without I/O.
public struct InvoiceDraft: Sendable {
    public let customerID: Int64
    public let type: InvoiceType
    public let number: String
    public let currency: Currency
    public let issueDate: CalendarDate
    public let dueDate: CalendarDate
    public let notes: String?
    public let allowPartialPayments: Bool
    public let minimumPaymentAmount: Int64?
    public let lines: [InvoiceLine]
    public let allowanceCharges: [AllowanceCharge]
    public let totals: InvoiceTotals
    public let supply: SupplyTime?
    public let paymentTerms: String?

    /// Every VAT category the lines, allowances and charges use.
    public var vatCategories: Set<VATCategory> { Set(lines.map(\.vatCategory)).union(allowanceCharges.map(\.vatCategory)) }

    /// Most allowances and charges one invoice may carry.
    public static let maximumAllowanceCharges = 20

    /// Checks `request` field by field; the first problem is thrown, named.
    public static func validate(_ request: CreateInvoiceRequest) throws(FieldError) -> InvoiceDraft {
        guard request.customerId > 0 else { throw FieldError("customerId", "must be a customer id") }
        let typeText = request.type ?? "AR"
        guard let type = InvoiceType(rawValue: typeText.uppercased()) else {
            throw FieldError("type", "must be AR or AP (got \"\(typeText)\")")
        }
        let number = request.number.trimmingCharacters(in: .whitespaces)
        guard (1...64).contains(number.limitedLength), !number.contains(where: \.isNewline) else {
            throw FieldError("number", "must be 1 to 64 characters on one line")
        }
        guard let currency = Currency(code: request.currency) else {
            throw FieldError("currency", "must be an ISO 4217 code such as EUR, USD, JPY (got \"\(request.currency)\")")
        }
        guard let issueDate = CalendarDate(parsing: request.issueDate) else {
            throw FieldError("issueDate", "must be a date YYYY-MM-DD (got \"\(request.issueDate)\")")
        }
        guard let dueDate = CalendarDate(parsing: request.dueDate) else {
            throw FieldError("dueDate", "must be a date YYYY-MM-DD (got \"\(request.dueDate)\")")
        }
        guard dueDate >= issueDate else { throw FieldError("dueDate", "must not be before issueDate") }
        if let notes = request.notes, notes.limitedLength > 2000 { throw FieldError("notes", "must be at most 2000 characters") }
        let parsed = try InvoiceLineRules.lines(request.lines)
        let allowanceCharges = try InvoiceLineRules.allowanceCharges(request.allowanceCharges ?? [])
        try InvoiceLineRules.checkCategoryMix(parsed, allowanceCharges)
        let supply = try InvoiceLineRules.supply(date: request.supplyDate, period: request.servicePeriod)
        if supply == nil, parsed.contains(where: { $0.vatCategory == .intraCommunity }) {
            throw FieldError("supplyDate", "is needed for an intra-community supply (category K): give supplyDate or servicePeriod")
        }
        let paymentTerms = try request.paymentTerms.map { raw throws(FieldError) in try LegalText.paragraph(raw, field: "paymentTerms", maximum: 500) }
        let computed: (lines: [InvoiceLine], totals: InvoiceTotals)
        do {
            computed = try InvoiceMath.compute(parsed, allowanceCharges: allowanceCharges, step: currency.amountStep)
        } catch {
            switch error {
            case .tooLarge(let line):
                throw FieldError(line.map { "lines[\($0)]" } ?? "lines", "add up to more than \(InvoiceMath.maximumAmount) minor units")
            case .negativeTaxableAmount(let category, let rate):
                throw FieldError("allowanceCharges", "take more off VAT category \(category.rawValue) at \(rate.percent) % than its lines add up to")
            }
        }
        let partial = request.allowPartialPayments ?? false
        if let minimum = request.minimumPaymentAmount {
            guard partial else { throw FieldError("minimumPaymentAmount", "needs allowPartialPayments: true") }
            guard minimum > 0, minimum <= computed.totals.total else {
                throw FieldError("minimumPaymentAmount", "must be between 1 and the invoice total \(computed.totals.total)")
            }
        }
        return InvoiceDraft(customerID: request.customerId, type: type, number: number, currency: currency, issueDate: issueDate,
                            dueDate: dueDate, notes: request.notes, allowPartialPayments: partial,
                            minimumPaymentAmount: request.minimumPaymentAmount, lines: computed.lines, allowanceCharges: allowanceCharges,
                            totals: computed.totals, supply: supply, paymentTerms: paymentTerms)
    }
}
