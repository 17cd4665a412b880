import BillportCore

/// The EN 16931 rules a new invoice's lines, allowances, charges and dates must pass, apart from
/// who the seller and buyer are (`partiesProblem` checks that part once both are known).
public enum InvoiceLineRules {
    /// Lines as sent, checked field by field (`lines[2].vatCategory`).
    public static func lines(_ lines: [CreateInvoiceRequest.Line]) throws(FieldError) -> [InvoiceMath.LineInput] {
        guard (1...500).contains(lines.count) else { throw FieldError("lines", "must hold 1 to 500 lines") }
        var parsed: [InvoiceMath.LineInput] = []
        for (index, line) in lines.enumerated() {
            let field = "lines[\(index)]"
            let description = line.description.trimmingCharacters(in: .whitespacesAndNewlines)
            guard (1...1000).contains(description.limitedLength) else { throw FieldError("\(field).description", "must be 1 to 1000 characters") }
            guard let quantity = Quantity(line.quantity), quantity.tenThousandths > 0 else {
                throw FieldError("\(field).quantity", "must be greater than 0 with at most 4 decimals (got \(line.quantity))")
            }
            guard (0...InvoiceMath.maximumAmount).contains(line.unitPrice) else {
                throw FieldError("\(field).unitPrice", "must be 0 or more minor units (got \(line.unitPrice))")
            }
            let (category, rate) = try categoryAndRate(line.vatCategory, line.taxRate, field: field)
            let unit = try line.unitCode.map { raw throws(FieldError) in
                guard let code = UnitCode(raw) else {
                    throw FieldError("\(field).unitCode", "must be a UN/ECE Recommendation 20 unit code such as C62, HUR, DAY, KGM (got \"\(raw.prefix(10))\")")
                }
                return code
            } ?? .one
            let reason = try exemptionReason(line.exemptionReason, category: category, field: "\(field).exemptionReason")
            parsed.append(InvoiceMath.LineInput(description: description, quantity: quantity, unitPrice: line.unitPrice, taxRate: rate,
                                                unitCode: unit, vatCategory: category, exemptionReason: reason))
        }
        var reasons: [VATCategory: String] = [:]
        for (index, line) in parsed.enumerated() {
            guard let reason = line.exemptionReason else { continue }
            if let first = reasons[line.vatCategory], first != reason {
                throw FieldError("lines[\(index)].exemptionReason", "must be the same for every line of category \(line.vatCategory.rawValue) (another line says \"\(first.prefix(60))\")")
            }
            reasons[line.vatCategory] = reason
        }
        return parsed
    }

    /// Document-level allowances and charges, checked (`allowanceCharges[0].amount`).
    public static func allowanceCharges(_ inputs: [CreateInvoiceRequest.AllowanceChargeInput]) throws(FieldError) -> [AllowanceCharge] {
        guard inputs.count <= InvoiceDraft.maximumAllowanceCharges else {
            throw FieldError("allowanceCharges", "must hold at most \(InvoiceDraft.maximumAllowanceCharges) entries")
        }
        var result: [AllowanceCharge] = []
        for (index, input) in inputs.enumerated() {
            let field = "allowanceCharges[\(index)]"
            guard let kind = AllowanceCharge.Kind(rawValue: input.kind) else {
                throw FieldError("\(field).kind", "must be allowance or charge (got \"\(input.kind.prefix(20))\")")
            }
            guard (1...InvoiceMath.maximumAmount).contains(input.amount) else {
                throw FieldError("\(field).amount", "must be more than 0 minor units (got \(input.amount))")
            }
            let reason = try LegalText.oneLine(input.reason, field: "\(field).reason", maximum: 200)
            let (category, rate) = try categoryAndRate(input.vatCategory, input.taxRate, field: field)
            result.append(AllowanceCharge(kind: kind, amount: input.amount, reason: reason, vatCategory: category, taxRate: rate))
        }
        return result
    }

    /// Outside the scope of VAT cannot be mixed with any other category on one invoice (BR-O-11 to BR-O-14).
    public static func checkCategoryMix(_ lines: [InvoiceMath.LineInput], _ allowanceCharges: [AllowanceCharge]) throws(FieldError) {
        let categories = Set(lines.map(\.vatCategory)).union(allowanceCharges.map(\.vatCategory))
        if categories.contains(.outsideScope), categories.count > 1 {
            let index = lines.firstIndex { $0.vatCategory != .outsideScope } ?? 0
            throw FieldError("lines[\(index)].vatCategory", "cannot be mixed with category O (outside the scope of VAT) on one invoice")
        }
    }

    /// `supplyDate` or `servicePeriod` (not both).
    public static func supply(date: String?, period: CreateInvoiceRequest.PeriodInput?) throws(FieldError) -> SupplyTime? {
        switch (date, period) {
        case (nil, nil):
            return nil
        case (.some, .some):
            throw FieldError("servicePeriod", "give either supplyDate or servicePeriod, not both")
        case (let text?, nil):
            guard let day = CalendarDate(parsing: text) else { throw FieldError("supplyDate", "must be a date YYYY-MM-DD (got \"\(text.prefix(20))\")") }
            return .date(day)
        case (nil, let period?):
            guard let start = CalendarDate(parsing: period.start) else {
                throw FieldError("servicePeriod.start", "must be a date YYYY-MM-DD (got \"\(period.start.prefix(20))\")")
            }
            guard let end = CalendarDate(parsing: period.end) else {
                throw FieldError("servicePeriod.end", "must be a date YYYY-MM-DD (got \"\(period.end.prefix(20))\")")
            }
            guard end >= start else { throw FieldError("servicePeriod.end", "must not be before servicePeriod.start") }
            return .period(start: start, end: end)
        }
    }

    /// What the seller and buyer must have for the categories the invoice uses (reverse charge and
    /// intra-community supplies need both VAT ids, exports the seller's): nil when they have it.
    public static func partiesProblem(categories: Set<VATCategory>, seller: CompanyProfile, buyer: BuyerDetails) -> FieldError? {
        for category in [VATCategory.reverseCharge, .intraCommunity, .export] where categories.contains(category) {
            if seller.vatID == nil {
                return FieldError("vatCategory", "\(category.rawValue) (\(category.label.lowercased())) needs your VAT id: set vatId in PATCH /api/settings/company")
            }
            if category != .export, buyer.vatID == nil {
                return FieldError("customerId", "\(category.rawValue) (\(category.label.lowercased())) needs the customer's VAT id: set vatId on the customer")
            }
            if category == .intraCommunity, buyer.address == nil {
                return FieldError("customerId", "K (intra-community supply) needs the customer's address (the country goods go to)")
            }
        }
        return nil
    }

    private static func categoryAndRate(_ categoryText: String?, _ rateValue: Double?, field: String) throws(FieldError) -> (VATCategory, TaxRate) {
        guard let rate = TaxRate(percent: rateValue ?? 0) else {
            throw FieldError("\(field).taxRate", "must be a percentage from 0 to 100 with at most 2 decimals (got \(rateValue ?? 0))")
        }
        guard let text = categoryText else { return (.implied(by: rate), rate) }
        guard let category = VATCategory(rawValue: text.uppercased()) else {
            throw FieldError("\(field).vatCategory", "must be one of S, Z, E, AE, K, G, O (got \"\(text.prefix(10))\")")
        }
        guard category.accepts(rate) else {
            throw FieldError("\(field).taxRate", category == .standard
                ? "must be above 0 for VAT category S (standard rate); use Z, E, AE, K, G or O for no VAT"
                : "must be 0 for VAT category \(category.rawValue) (\(category.label.lowercased()))")
        }
        return (category, rate)
    }

    private static func exemptionReason(_ raw: String?, category: VATCategory, field: String) throws(FieldError) -> String? {
        guard let raw else {
            if category == .exempt { throw FieldError(field, "is needed for VAT category E: say why the supply is exempt (e.g. the law's article)") }
            return nil
        }
        guard category.needsExemptionReason else {
            throw FieldError(field, "is only for VAT categories E, AE, K, G and O (this line is \(category.rawValue))")
        }
        return try LegalText.oneLine(raw, field: field, maximum: 300)
    }
}
