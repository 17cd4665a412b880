import BillportCore
/// An ISO 4217 currency with its minor-unit exponent: EUR 2 (cents), JPY 0, KWD 3 (fils).
public struct Currency: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The three-letter code.
    public let code: String
    /// Digits after the decimal point in the currency's minor unit.
    public let exponent: Int

    /// The currency for `code` (case-insensitive), nil when it is not an active ISO 4217 currency.
    public init?(code: String) {
        let upper = code.uppercased()
        guard upper.count == 3, let exponent = Currency.exponents[upper] else { return nil }
        self.code = upper
        self.exponent = exponent
    }

    public var description: String { code }

    public init(from decoder: any Decoder) throws {
        let code = try decoder.singleValueContainer().decode(String.self)
        guard let currency = Currency(code: code) else {
            throw DecodingRule("must be an ISO 4217 currency code such as EUR (got \"\(code)\")").error(at: decoder.codingPath)
        }
        self = currency
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(code)
    }

    /// ISO 4217 minor units; codes not listed have two.
    private static let exceptions: [String: Int] = [
        "BIF": 0, "CLP": 0, "DJF": 0, "GNF": 0, "ISK": 0, "JPY": 0, "KMF": 0, "KRW": 0, "PYG": 0, "RWF": 0,
        "UGX": 0, "UYI": 0, "VND": 0, "VUV": 0, "XAF": 0, "XOF": 0, "XPF": 0,
        "BHD": 3, "IQD": 3, "JOD": 3, "KWD": 3, "LYD": 3, "OMR": 3, "TND": 3, "CLF": 4, "UYW": 4,
    ]

    private static let twoDigit = """
        AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BRL BSD BTN BWP BYN BZD CAD CDF CHF CNY \
        COP CRC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GTQ GYD HKD HNL HTG HUF IDR ILS \
        INR IRR JMD KES KGS KHR KPW KYD KZT LAK LBP LKR LRD LSL MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR \
        MZN NAD NGN NIO NOK NPR NZD PAB PEN PGK PHP PKR PLN QAR RON RSD RUB SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD \
        SSP STN SVC SYP SZL THB TJS TMT TOP TRY TTD TWD TZS UAH USD UYU UZS VED VES WST XCD YER ZAR ZMW ZWG
        """

    private static let exponents: [String: Int] = {
        var table = exceptions
        for code in twoDigit.split(separator: " ") { table[String(code)] = 2 }
        return table
    }()
}

/// An amount of money: an integer count of minor units in one currency. Never floating point.
public struct Money: Sendable, Hashable, Codable {
    public let minorUnits: Int64
    public let currency: Currency

    public init(minorUnits: Int64, currency: Currency) {
        self.minorUnits = minorUnits
        self.currency = currency
    }

    /// `1,234.56 EUR`-style text for people (plain digits, dot decimal separator, code after).
    public var formatted: String {
        let negative = minorUnits < 0
        let magnitude = minorUnits.magnitude
        var scale: UInt64 = 1
        for _ in 0..<currency.exponent { scale *= 10 }
        let whole = String(magnitude / scale)
        var grouped = ""
        for (index, digit) in whole.reversed().enumerated() {
            if index > 0, index % 3 == 0 { grouped.append(",") }
            grouped.append(digit)
        }
        var text = (negative ? "-" : "") + String(grouped.reversed())
        if currency.exponent > 0 {
            let fraction = String(magnitude % scale)
            text += "." + String(repeating: "0", count: currency.exponent - fraction.count) + fraction
        }
        return text + " " + currency.code
    }
}

extension Money {
    /// The minor units a person typed in major units (`50`, `50.5`, `1,250.00` for EUR): nil
    /// for anything else or for more decimals than the currency has.
    public static func minorUnits(parsing text: String, currency: Currency) -> Int64? {
        let cleaned = text.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: ",", with: "")
        let parts = cleaned.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let whole = parts.first, !whole.isEmpty, whole.count <= 12,
              whole.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        let fraction = parts.count == 2 ? parts[1] : ""
        guard fraction.count <= currency.exponent, fraction.allSatisfy({ $0.isASCII && $0.isNumber }),
              parts.count == 1 || !fraction.isEmpty else { return nil }
        var scale: Int64 = 1
        for _ in 0..<currency.exponent { scale *= 10 }
        let padded = fraction + String(repeating: "0", count: currency.exponent - fraction.count)
        guard let major = Int64(whole), let minor = Int64(padded.isEmpty ? "0" : padded) else { return nil }
        return major * scale + minor
    }
}
