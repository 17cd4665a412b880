import BillportCore

/// `PATCH /api/invoices/{id}` on a draft: any of the fields `POST /api/invoices` takes. An absent
/// field stays as it is; `null` clears `notes`, `minimumPaymentAmount`, `supplyDate`,
/// `servicePeriod` and `paymentTerms`; `lines` and `allowanceCharges`, when sent, replace every entry. The result is validated as a new invoice would be.
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
    public var supplyDate: String??
    public var servicePeriod: CreateInvoiceRequest.PeriodInput??
    public var paymentTerms: String??
    public var allowanceCharges: [CreateInvoiceRequest.AllowanceChargeInput]?

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
        supplyDate = try container.decodeChange(forKey: .supplyDate)
        servicePeriod = try container.decodeChange(forKey: .servicePeriod)
        paymentTerms = try container.decodeChange(forKey: .paymentTerms)
        allowanceCharges = try container.decodeUnlessAbsent(forKey: .allowanceCharges)
    }

    /// The whole invoice as `POST` would take it: `invoice`'s content with this change over it.
    public func applied(to invoice: Invoice) -> CreateInvoiceRequest {
        let storedSupply: (date: String?, period: CreateInvoiceRequest.PeriodInput?) = switch invoice.supply {
        case .date(let day): (day.description, nil)
        case .period(let start, let end): (nil, CreateInvoiceRequest.PeriodInput(start: start.description, end: end.description))
        case nil: (nil, nil)
        }
        return CreateInvoiceRequest(
            customerId: customerId ?? invoice.customerID, type: type ?? invoice.type.rawValue, number: number ?? invoice.number,
            currency: currency ?? invoice.currency.code, issueDate: issueDate ?? invoice.issueDate.description,
            dueDate: dueDate ?? invoice.dueDate.description, notes: notes ?? invoice.notes,
            allowPartialPayments: allowPartialPayments ?? invoice.allowPartialPayments,
            minimumPaymentAmount: minimumPaymentAmount ?? invoice.minimumPaymentAmount,
            lines: lines ?? invoice.lines.map(CreateInvoiceRequest.Line.init),
            supplyDate: supplyDate ?? storedSupply.date, servicePeriod: servicePeriod ?? storedSupply.period,
            paymentTerms: paymentTerms ?? invoice.paymentTerms,
            allowanceCharges: allowanceCharges ?? invoice.allowanceCharges.map {
                CreateInvoiceRequest.AllowanceChargeInput(kind: $0.kind.rawValue, amount: $0.amount, reason: $0.reason,
                                                          vatCategory: $0.vatCategory.rawValue, taxRate: $0.taxRate.percent)
            })
    }
}

extension CreateInvoiceRequest {
    init(customerId: Int64, type: String?, number: String, currency: String, issueDate: String, dueDate: String, notes: String?,
         allowPartialPayments: Bool?, minimumPaymentAmount: Int64?, lines: [Line], supplyDate: String? = nil,
         servicePeriod: PeriodInput? = nil, paymentTerms: String? = nil, allowanceCharges: [AllowanceChargeInput]? = nil) {
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
        self.supplyDate = supplyDate
        self.servicePeriod = servicePeriod
        self.paymentTerms = paymentTerms
        self.allowanceCharges = allowanceCharges
    }
}

extension CreateInvoiceRequest.Line {
    /// A stored line as a request would give it again.
    public init(_ line: InvoiceLine) {
        self.init(description: line.description, quantity: line.quantity.doubleValue, unitPrice: line.unitPrice, taxRate: line.taxRate.percent,
                  unitCode: line.unitCode.code, vatCategory: line.vatCategory.rawValue, exemptionReason: line.exemptionReason)
    }

    public init(description: String, quantity: Double, unitPrice: Int64, taxRate: Double?, unitCode: String? = nil, vatCategory: String? = nil,
         exemptionReason: String? = nil) {
        self.description = description
        self.quantity = quantity
        self.unitPrice = unitPrice
        self.taxRate = taxRate
        self.unitCode = unitCode
        self.vatCategory = vatCategory
        self.exemptionReason = exemptionReason
    }
}
