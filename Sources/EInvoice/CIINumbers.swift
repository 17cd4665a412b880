import Billing
import BillportCore

/// The decimal texts a CII file holds, made from integers (never `Double`), so that what the
/// validators add up is exactly what `InvoiceMath` added up.
public enum CIINumbers {
    /// An amount in minor units of `currency` with the currency's decimals capped at two, as EN
    /// 16931 allows (KWD fils become two decimals, rounded half away from zero; `InvoiceMath`
    /// already rounds invoice amounts to that step, so nothing is lost there). `120.00` EUR, `1190` JPY.
    public static func amount(_ minorUnits: Int64, _ currency: Currency) -> String {
        let dropped = max(0, currency.exponent - 2)
        var divisor: Int128 = 1
        for _ in 0..<dropped { divisor *= 10 }
        let value = InvoiceMath.roundedDivision(Int128(minorUnits), by: divisor)
        return decimal(value, decimals: currency.exponent - dropped, trimmed: false)
    }

    /// A unit price with every decimal of the currency (`1.275` KWD), trailing zeros kept.
    public static func unitPrice(_ minorUnits: Int64, _ currency: Currency) -> String {
        decimal(Int128(minorUnits), decimals: currency.exponent, trimmed: false)
    }

    /// A quantity with up to four decimals and no trailing zeros (`1.5`, `0.3333`, `2`).
    public static func quantity(_ quantity: Quantity) -> String {
        decimal(Int128(quantity.tenThousandths), decimals: 4, trimmed: true)
    }

    /// A VAT rate in percent without trailing zeros (`19`, `7.7`, `0`).
    public static func percent(_ rate: TaxRate) -> String {
        decimal(Int128(rate.hundredthsOfPercent), decimals: 2, trimmed: true)
    }

    /// A date in format 102 (`YYYYMMDD`).
    public static func date(_ date: CalendarDate) -> String {
        padded(date.year, 4) + padded(date.month, 2) + padded(date.day, 2)
    }

    /// `value / 10^decimals` as text; `trimmed` drops trailing fractional zeros (and a bare point).
    static func decimal(_ value: Int128, decimals: Int, trimmed: Bool) -> String {
        var scale: UInt128 = 1
        for _ in 0..<decimals { scale *= 10 }
        let magnitude = value.magnitude
        var text = (value < 0 ? "-" : "") + String(magnitude / scale)
        guard decimals > 0 else { return text }
        var fraction = String(magnitude % scale)
        fraction = String(repeating: "0", count: decimals - fraction.count) + fraction
        if trimmed {
            while fraction.last == "0" { fraction.removeLast() }
            if fraction.isEmpty { return text }
        }
        text += "." + fraction
        return text
    }

    private static func padded(_ number: Int, _ width: Int) -> String {
        let digits = String(number.magnitude)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
