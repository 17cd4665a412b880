/// The one rounding rule for invoice amounts, in integer minor units:
///
/// - a line's net = quantity × unit price, rounded half away from zero to the minor unit;
/// - tax is computed once per rate on the sum of the nets at that rate, rounded half away
///   from zero (so ten lines at 19 % are taxed like one line of their sum);
/// - total = subtotal (sum of nets) + the tax of every rate.
public enum InvoiceMath {
    /// Amounts are capped well inside Int64 so that sums can never overflow.
    public static let maximumAmount: Int64 = 1_000_000_000_000_000

    /// Why amounts cannot be computed.
    public enum Failure: Error, Equatable {
        /// Line `index` (or the total, for nil) exceeds `maximumAmount`.
        case tooLarge(line: Int?)
    }

    /// `numerator / denominator` rounded half away from zero (denominator > 0).
    public static func roundedDivision(_ numerator: Int128, by denominator: Int128) -> Int128 {
        let quotient = numerator / denominator
        let remainder = numerator % denominator
        guard remainder.magnitude * 2 >= denominator.magnitude else { return quotient }
        return numerator < 0 ? quotient - 1 : quotient + 1
    }

    /// The net of `quantity` units at `unitPrice`.
    public static func net(quantity: Quantity, unitPrice: Int64) -> Int128 {
        roundedDivision(Int128(quantity.tenThousandths) * Int128(unitPrice), by: 10_000)
    }

    /// Lines with their nets, and the totals.
    public static func compute(_ lines: [(description: String, quantity: Quantity, unitPrice: Int64, taxRate: TaxRate)])
        throws(Failure) -> (lines: [InvoiceLine], totals: InvoiceTotals) {
        var computed: [InvoiceLine] = []
        for (index, line) in lines.enumerated() {
            let net = net(quantity: line.quantity, unitPrice: line.unitPrice)
            guard net.magnitude <= UInt128(maximumAmount) else { throw .tooLarge(line: index) }
            computed.append(InvoiceLine(description: line.description, quantity: line.quantity, unitPrice: line.unitPrice,
                                        taxRate: line.taxRate, net: Int64(net)))
        }
        let subtotal = computed.reduce(Int128(0)) { $0 + Int128($1.net) }
        guard subtotal.magnitude <= UInt128(maximumAmount) else { throw .tooLarge(line: nil) }
        let taxes = taxes(for: computed)
        let taxTotal = taxes.reduce(Int128(0)) { $0 + Int128($1.amount) }
        guard (subtotal + taxTotal).magnitude <= UInt128(maximumAmount) else { throw .tooLarge(line: nil) }
        return (computed, InvoiceTotals(subtotal: Int64(subtotal), taxes: taxes, taxTotal: Int64(taxTotal),
                                        total: Int64(subtotal + taxTotal)))
    }

    /// Tax per rate, lowest rate first: the rule above, for lines whose nets are known.
    public static func taxes(for lines: [InvoiceLine]) -> [TaxLine] {
        // Summed wide: `compute` caps the subtotal, but this is also called on stored lines.
        var bases: [TaxRate: Int128] = [:]
        for line in lines { bases[line.taxRate, default: 0] += Int128(line.net) }
        return bases.keys.sorted().map { rate in
            let amount = roundedDivision(bases[rate]! * Int128(rate.hundredthsOfPercent), by: 10_000)
            return TaxLine(rate: rate, base: Int64(clamping: bases[rate]!), amount: Int64(clamping: amount))
        }
    }
}
