import Foundation

/// An RGB colour, 0…1 per channel.
public struct PDFColor: Sendable, Hashable {
    public let red: Double, green: Double, blue: Double

    public init(red: Double, green: Double, blue: Double) {
        self.red = min(max(red, 0), 1)
        self.green = min(max(green, 0), 1)
        self.blue = min(max(blue, 0), 1)
    }

    /// `#1a2b3c` or `1a2b3c`; nil when malformed.
    public init?(hex: String) {
        let digits = hex.hasPrefix("#") ? String(hex.dropFirst()) : hex
        guard digits.count == 6, let value = UInt32(digits, radix: 16) else { return nil }
        self.init(red: Double((value >> 16) & 0xFF) / 255, green: Double((value >> 8) & 0xFF) / 255, blue: Double(value & 0xFF) / 255)
    }

    public static let black = PDFColor(red: 0, green: 0, blue: 0)
    public static let white = PDFColor(red: 1, green: 1, blue: 1)
}

/// A page size in points (1/72 inch).
public struct PDFPageSize: Sendable, Hashable {
    public let width: Double
    public let height: Double

    public init(width: Double, height: Double) {
        self.width = width
        self.height = height
    }

    /// ISO A4, 210 × 297 mm.
    public static let a4 = PDFPageSize(width: 595.28, height: 841.89)
    /// US Letter, 8.5 × 11 in.
    public static let letter = PDFPageSize(width: 612, height: 792)
}

/// Numbers as PDF writes them: at most 3 decimals, no exponent, no "-0".
enum PDFNumber {
    static func format(_ value: Double) -> String {
        let thousandths = Int64((value * 1000).rounded())
        let whole = thousandths / 1000
        var fraction = abs(thousandths % 1000)
        guard fraction != 0 else { return String(whole) }
        var digits = 3
        while fraction % 10 == 0 { fraction /= 10; digits -= 1 }
        let fractionText = String(fraction)
        let sign = thousandths < 0 && whole == 0 ? "-" : ""
        return sign + String(whole) + "." + String(repeating: "0", count: digits - fractionText.count) + fractionText
    }
}
