/// The one calculation of invoice amounts, in integer minor units, following EN 16931's rules so
/// that the PDF, the API and the e-invoice can never disagree:
///
/// - a line's net = quantity × unit price, rounded half away from zero to the currency's invoice
///   precision (`Currency.amountStep`: the minor unit, but at most two decimals, as EN 16931 allows);
/// - the VAT breakdown has one row per VAT category and rate: its taxable amount is the sum of the
///   line nets in it, less its allowances, plus its charges; its tax is taxable × rate, rounded the
///   same way (so ten lines at 19 % are taxed like one line of their sum);
/// - tax basis = sum of nets − allowances + charges; total = tax basis + the tax of every row.
public enum InvoiceMath {
    /// Amounts are capped well inside Int64 so that sums can never overflow.
    public static let maximumAmount: Int64 = 1_000_000_000_000_000

    /// Why amounts cannot be computed.
    public enum Failure: Error, Equatable {
        /// Line `index` (or the total, for nil) exceeds `maximumAmount`.
        case tooLarge(line: Int?)
        /// The allowances of a VAT category and rate exceed what its lines add up to.
        case negativeTaxableAmount(category: VATCategory, rate: TaxRate)
    }

    /// One line as given, before its net is known.
    public struct LineInput: Sendable, Hashable {
        public var description: String
        public var quantity: Quantity
        public var unitPrice: Int64
        public var taxRate: TaxRate
        public var unitCode: UnitCode
        public var vatCategory: VATCategory
        public var exemptionReason: String?

        public init(description: String, quantity: Quantity, unitPrice: Int64, taxRate: TaxRate, unitCode: UnitCode = .one,
                    vatCategory: VATCategory? = nil, exemptionReason: String? = nil) {
            self.description = description
            self.quantity = quantity
            self.unitPrice = unitPrice
            self.taxRate = taxRate
            self.unitCode = unitCode
            self.vatCategory = vatCategory ?? .implied(by: taxRate)
            self.exemptionReason = exemptionReason
        }
    }

    /// `numerator / denominator` rounded half away from zero (denominator > 0).
    public static func roundedDivision(_ numerator: Int128, by denominator: Int128) -> Int128 {
        let quotient = numerator / denominator
        let remainder = numerator % denominator
        guard remainder.magnitude * 2 >= denominator.magnitude else { return quotient }
        return numerator < 0 ? quotient - 1 : quotient + 1
    }

    /// The net of `quantity` units at `unitPrice`, to the nearest `step` minor units.
    public static func net(quantity: Quantity, unitPrice: Int64, step: Int64 = 1) -> Int128 {
        roundedDivision(Int128(quantity.tenThousandths) * Int128(unitPrice), by: 10_000 * Int128(step)) * Int128(step)
    }

    /// Lines with their nets, and the totals, for an invoice in a currency whose amounts are
    /// rounded to `step` minor units.
    public static func compute(_ lines: [LineInput], allowanceCharges: [AllowanceCharge] = [], step: Int64 = 1)
        throws(Failure) -> (lines: [InvoiceLine], totals: InvoiceTotals) {
        var computed: [InvoiceLine] = []
        for (index, line) in lines.enumerated() {
            let net = net(quantity: line.quantity, unitPrice: line.unitPrice, step: step)
            guard net.magnitude <= UInt128(maximumAmount) else { throw .tooLarge(line: index) }
            computed.append(InvoiceLine(description: line.description, quantity: line.quantity, unitPrice: line.unitPrice,
                                        taxRate: line.taxRate, net: Int64(net), unitCode: line.unitCode,
                                        vatCategory: line.vatCategory, exemptionReason: line.exemptionReason))
        }
        let subtotal = computed.reduce(Int128(0)) { $0 + Int128($1.net) }
        let allowances = allowanceCharges.filter { $0.kind == .allowance }.reduce(Int128(0)) { $0 + Int128($1.amount) }
        let charges = allowanceCharges.filter { $0.kind == .charge }.reduce(Int128(0)) { $0 + Int128($1.amount) }
        guard subtotal.magnitude <= UInt128(maximumAmount), allowances <= Int128(maximumAmount), charges <= Int128(maximumAmount) else {
            throw .tooLarge(line: nil)
        }
        let taxes = taxes(for: computed, allowanceCharges: allowanceCharges, step: step)
        if let negative = taxes.first(where: { $0.base < 0 }) {
            throw .negativeTaxableAmount(category: negative.category, rate: negative.rate)
        }
        let taxTotal = taxes.reduce(Int128(0)) { $0 + Int128($1.amount) }
        let total = subtotal - allowances + charges + taxTotal
        guard total.magnitude <= UInt128(maximumAmount) else { throw .tooLarge(line: nil) }
        return (computed, InvoiceTotals(subtotal: Int64(subtotal), allowanceTotal: Int64(allowances), chargeTotal: Int64(charges),
                                        taxes: taxes, taxTotal: Int64(taxTotal), total: Int64(total)))
    }

    /// The VAT breakdown (the rule above) for lines whose nets are known, in category order,
    /// lowest rate first within a category.
    public static func taxes(for lines: [InvoiceLine], allowanceCharges: [AllowanceCharge] = [], step: Int64 = 1) -> [TaxLine] {
        struct Key: Hashable { let category: VATCategory; let rate: TaxRate }
        // Summed wide: `compute` caps the subtotal, but this is also called on stored lines.
        var bases: [Key: Int128] = [:]
        var reasons: [Key: String] = [:]
        for line in lines {
            let key = Key(category: line.vatCategory, rate: line.taxRate)
            bases[key, default: 0] += Int128(line.net)
            if reasons[key] == nil, let reason = line.exemptionReason { reasons[key] = reason }
        }
        for allowanceCharge in allowanceCharges {
            bases[Key(category: allowanceCharge.vatCategory, rate: allowanceCharge.taxRate), default: 0] += Int128(allowanceCharge.signedAmount)
        }
        return bases.keys.sorted { ($0.category, $0.rate) < ($1.category, $1.rate) }.map { key in
            let base = bases[key]!
            let amount = roundedDivision(base * Int128(key.rate.hundredthsOfPercent), by: 10_000 * Int128(step)) * Int128(step)
            let reason = key.category.needsExemptionReason ? reasons[key] ?? key.category.defaultExemptionReason : nil
            return TaxLine(category: key.category, rate: key.rate, base: Int64(clamping: base), amount: Int64(clamping: amount),
                           exemptionReason: reason)
        }
    }
}

extension InvoiceMath {
    /// Lines given as tuples: standard or zero-rated by their rate, counted in pieces.
    public static func compute(_ lines: [(description: String, quantity: Quantity, unitPrice: Int64, taxRate: TaxRate)])
        throws(Failure) -> (lines: [InvoiceLine], totals: InvoiceTotals) {
        try compute(lines.map { LineInput(description: $0.description, quantity: $0.quantity, unitPrice: $0.unitPrice, taxRate: $0.taxRate) })
    }
}

extension Currency {
    /// The smallest step invoice amounts are rounded to, in minor units: 1, except for currencies
    /// with more than two decimals (KWD, BHD: 10 fils), because EN 16931 allows two decimals for
    /// amounts. Unit prices keep every decimal of the currency.
    public var amountStep: Int64 {
        var step: Int64 = 1
        for _ in 0..<max(0, exponent - 2) { step *= 10 }
        return step
    }
}
