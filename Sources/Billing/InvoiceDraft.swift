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

        public enum CodingKeys: String, CodingKey, CaseIterable { case description, quantity, unitPrice, taxRate }

        /// As synthesized, except that `unitPrice` must be an integer amount in minor units.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            description = try container.decode(String.self, forKey: .description)
            quantity = try container.decode(Double.self, forKey: .quantity)
            unitPrice = try container.decodeMinorUnits(forKey: .unitPrice)
            taxRate = try container.decodeIfPresent(Double.self, forKey: .taxRate)
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

    public static var nested: [String: any KnownKeys.Type] { ["lines": Line.self] }

    public enum CodingKeys: String, CodingKey, CaseIterable {
        case customerId, type, number, currency, issueDate, dueDate, notes, allowPartialPayments, minimumPaymentAmount, lines
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
    public let totals: InvoiceTotals

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
        guard (1...500).contains(request.lines.count) else { throw FieldError("lines", "must hold 1 to 500 lines") }

        var parsed: [(description: String, quantity: Quantity, unitPrice: Int64, taxRate: TaxRate)] = []
        for (index, line) in request.lines.enumerated() {
            let field = "lines[\(index)]"
            let description = line.description.trimmingCharacters(in: .whitespacesAndNewlines)
            guard (1...1000).contains(description.limitedLength) else { throw FieldError("\(field).description", "must be 1 to 1000 characters") }
            guard let quantity = Quantity(line.quantity), quantity.tenThousandths > 0 else {
                throw FieldError("\(field).quantity", "must be greater than 0 with at most 4 decimals (got \(line.quantity))")
            }
            guard (0...InvoiceMath.maximumAmount).contains(line.unitPrice) else {
                throw FieldError("\(field).unitPrice", "must be 0 or more minor units (got \(line.unitPrice))")
            }
            guard let taxRate = TaxRate(percent: line.taxRate ?? 0) else {
                throw FieldError("\(field).taxRate", "must be a percentage from 0 to 100 with at most 2 decimals (got \(line.taxRate ?? 0))")
            }
            parsed.append((description, quantity, line.unitPrice, taxRate))
        }
        let computed: (lines: [InvoiceLine], totals: InvoiceTotals)
        do {
            computed = try InvoiceMath.compute(parsed)
        } catch {
            switch error {
            case .tooLarge(let line):
                throw FieldError(line.map { "lines[\($0)]" } ?? "lines", "add up to more than \(InvoiceMath.maximumAmount) minor units")
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
                            minimumPaymentAmount: request.minimumPaymentAmount, lines: computed.lines, totals: computed.totals)
    }
}
