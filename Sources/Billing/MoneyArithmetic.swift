/// Money that would not fit: a sum or difference of minor units beyond what Billport stores.
/// The one error every money sum gives instead of trapping.
public struct MoneyOverflow: Error, Sendable, Equatable, CustomStringConvertible {
    /// What was being added up ("amount paid", "outstanding EUR").
    public let quantity: String

    public init(_ quantity: String) { self.quantity = quantity }

    public var description: String { "\(quantity) adds up to more than \(MoneyArithmetic.largestSum) minor units" }
}

/// Checked arithmetic on minor units: every sum of money goes through here. Terms are added in
/// `Int128`, so no intermediate step can trap, and the result must fit `largestSum`.
public enum MoneyArithmetic {
    /// The largest amount a sum may reach: everything Billport stores is an SQLite INTEGER.
    public static let largestSum = Int64.max

    /// `amounts` added up, or `MoneyOverflow` naming `quantity`.
    public static func sum(_ amounts: some Sequence<Int64>, _ quantity: String) throws(MoneyOverflow) -> Int64 {
        // An Int128 holds the sum of 2^64 Int64 terms, more than any collection has: only the
        // result needs checking, and a step beyond Int64 on the way is harmless.
        let total = amounts.reduce(Int128(0)) { $0 + Int128($1) }
        guard total.magnitude <= UInt128(largestSum) else { throw MoneyOverflow(quantity) }
        return Int64(total)
    }

    /// `lhs + rhs`, or `MoneyOverflow` naming `quantity`.
    public static func add(_ lhs: Int64, _ rhs: Int64, _ quantity: String) throws(MoneyOverflow) -> Int64 {
        try sum([lhs, rhs], quantity)
    }

    /// `value` − Σ `amounts`, never below zero (what is left to pay): computed wide, so it
    /// cannot trap whatever the terms.
    public static func remainder(of value: Int64, less amounts: Int64...) -> Int64 {
        let left = amounts.reduce(Int128(value)) { $0 - Int128($1) }
        return Int64(clamping: max(0, left))
    }
}
