import BillportCore

/// `PATCH /api/invoices/{id}` on a draft: any of the fields `POST /api/invoices` takes. An absent
/// field stays as it is; `null` clears `notes` and `minimumPaymentAmount`; `lines`, when sent,
/// replaces every line. The result is validated as a new invoice would be.
public struct InvoiceChange: Sendable, Decodable, KnownKeys {
    public typealias CodingKeys = CreateInvoiceRequest.CodingKeys
    public static var nested: [String: any KnownKeys.Type] { CreateInvoiceRequest.nested }

    public var customerId: Int64?
    public var type: String?
    public var number: String?
    public var currency: String?
    public var issueDate: String?
    public var dueDate: String?
    public var notes: String??
    public var allowPartialPayments: Bool?
    public var minimumPaymentAmount: Int64??
    public var lines: [CreateInvoiceRequest.Line]?

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        customerId = try container.decodeUnlessAbsent(forKey: .customerId)
        type = try container.decodeUnlessAbsent(forKey: .type)
        number = try container.decodeUnlessAbsent(forKey: .number)
        currency = try container.decodeUnlessAbsent(forKey: .currency)
        issueDate = try container.decodeUnlessAbsent(forKey: .issueDate)
        dueDate = try container.decodeUnlessAbsent(forKey: .dueDate)
        notes = try container.decodeChange(forKey: .notes)
        allowPartialPayments = try container.decodeUnlessAbsent(forKey: .allowPartialPayments)
        if container.contains(.minimumPaymentAmount) {
            minimumPaymentAmount = .some(try container.decodeMinorUnitsIfPresent(forKey: .minimumPaymentAmount))
        }
        lines = try container.decodeUnlessAbsent(forKey: .lines)
    }

    /// The whole invoice as `POST` would take it: `invoice`'s content with this change over it.
    public func applied(to invoice: Invoice) -> CreateInvoiceRequest {
        CreateInvoiceRequest(
            customerId: customerId ?? invoice.customerID, type: type ?? invoice.type.rawValue, number: number ?? invoice.number,
            currency: currency ?? invoice.currency.code, issueDate: issueDate ?? invoice.issueDate.description,
            dueDate: dueDate ?? invoice.dueDate.description, notes: notes ?? invoice.notes,
            allowPartialPayments: allowPartialPayments ?? invoice.allowPartialPayments,
            minimumPaymentAmount: minimumPaymentAmount ?? invoice.minimumPaymentAmount,
            lines: lines ?? invoice.lines.map {
                CreateInvoiceRequest.Line(description: $0.description, quantity: $0.quantity.doubleValue, unitPrice: $0.unitPrice,
                                          taxRate: $0.taxRate.percent)
            })
    }
}

extension CreateInvoiceRequest {
    init(customerId: Int64, type: String?, number: String, currency: String, issueDate: String, dueDate: String, notes: String?,
         allowPartialPayments: Bool?, minimumPaymentAmount: Int64?, lines: [Line]) {
        self.customerId = customerId
        self.type = type
        self.number = number
        self.currency = currency
        self.issueDate = issueDate
        self.dueDate = dueDate
        self.notes = notes
        self.allowPartialPayments = allowPartialPayments
        self.minimumPaymentAmount = minimumPaymentAmount
        self.lines = lines
    }
}

extension CreateInvoiceRequest.Line {
    init(description: String, quantity: Double, unitPrice: Int64, taxRate: Double?) {
        self.description = description
        self.quantity = quantity
        self.unitPrice = unitPrice
        self.taxRate = taxRate
    }
}
