import BillportCore
import Foundation

/// An International Bank Account Number, checked by its length for the country and its
/// ISO 13616 mod-97 check digits. Kept without spaces, upper case.
public struct IBAN: Sendable, Hashable, CustomStringConvertible {
    public let value: String

    public init(_ text: String, field: String) throws(FieldError) {
        let cleaned = String(text.uppercased().filter { $0 != " " })
        guard (15...34).contains(cleaned.count), cleaned.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }),
              cleaned.prefix(2).allSatisfy(\.isLetter), cleaned.dropFirst(2).prefix(2).allSatisfy(\.isNumber) else {
            throw FieldError(field, "must be an IBAN such as DE89 3704 0044 0532 0130 00")
        }
        let country = String(cleaned.prefix(2))
        if let length = Self.lengths[country], cleaned.count != length {
            throw FieldError(field, "must have \(length) characters for \(country) (got \(cleaned.count))")
        }
        guard Self.mod97(String(cleaned.dropFirst(4) + cleaned.prefix(4))) == 1 else {
            throw FieldError(field, "has wrong check digits (mistyped?)")
        }
        value = cleaned
    }

    public var description: String { value }


    /// A value read back from the store, checked when it was written.
    public init(stored value: String) { self.value = value }

    /// Grouped by four for people (`DE89 3704 …`).
    public var grouped: String {
        stride(from: 0, to: value.count, by: 4).map { start -> String in
            let from = value.index(value.startIndex, offsetBy: start)
            return String(value[from..<(value.index(from, offsetBy: 4, limitedBy: value.endIndex) ?? value.endIndex)])
        }.joined(separator: " ")
    }

    /// Letters count as 10…35; the remainder is taken digit by digit so nothing overflows.
    static func mod97(_ text: String) -> Int {
        var remainder = 0
        for character in text {
            let value = character.isNumber ? Int(String(character))! : Int(character.asciiValue! - 55)
            remainder = value >= 10 ? (remainder * 100 + value) % 97 : (remainder * 10 + value) % 97
        }
        return remainder
    }

    /// IBAN lengths of the SWIFT IBAN registry; other prefixes accept 15 to 34 characters.
    private static let lengths: [String: Int] = [
        "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22, "BR": 29, "BY": 28,
        "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DK": 18, "DO": 28, "EE": 20, "EG": 29, "ES": 24, "FI": 18,
        "FO": 18, "FR": 27, "GB": 22, "GE": 22, "GI": 23, "GL": 18, "GR": 27, "GT": 28, "HR": 21, "HU": 28, "IE": 22,
        "IL": 23, "IQ": 23, "IS": 26, "IT": 27, "JO": 30, "KW": 30, "KZ": 20, "LB": 28, "LC": 32, "LI": 21, "LT": 20,
        "LU": 20, "LV": 21, "MC": 27, "MD": 24, "ME": 22, "MK": 19, "MR": 27, "MT": 31, "MU": 30, "NL": 18, "NO": 15,
        "PK": 24, "PL": 28, "PS": 29, "PT": 25, "QA": 29, "RO": 24, "RS": 22, "SA": 24, "SC": 31, "SE": 24, "SI": 19,
        "SK": 24, "SM": 27, "ST": 25, "SV": 28, "TL": 23, "TN": 24, "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20,
    ]
}

/// A Business Identifier Code (ISO 9362): bank, country, location and an optional branch.
public struct BIC: Sendable, Hashable, CustomStringConvertible {
    public let value: String

    public init(_ text: String, field: String) throws(FieldError) {
        let cleaned = text.trimmingCharacters(in: .whitespaces).uppercased()
        let characters = Array(cleaned)
        guard characters.count == 8 || characters.count == 11,
              characters.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }),
              characters[0..<6].allSatisfy(\.isLetter), CountryCode(String(characters[4..<6])) != nil else {
            throw FieldError(field, "must be a BIC of 8 or 11 characters such as COBADEFFXXX")
        }
        value = cleaned
    }

    public var description: String { value }


    /// A value read back from the store, checked when it was written.
    public init(stored value: String) { self.value = value }
}

/// Where buyers transfer money to: shown on the invoice, in the e-invoice and in the payment QR code.
public struct BankAccount: Sendable, Hashable {
    public let holder: String
    public let iban: IBAN
    public let bic: BIC?

    public init(holder: String, iban: IBAN, bic: BIC?) {
        self.holder = holder
        self.iban = iban
        self.bic = bic
    }

    /// `bankAccount` in request bodies.
    public struct Input: Sendable, Codable, Equatable, KnownKeys {
        public var holder: String
        public var iban: String
        public var bic: String?

        public enum CodingKeys: String, CodingKey, CaseIterable { case holder, iban, bic }

        public init(holder: String, iban: String, bic: String?) {
            self.holder = holder
            self.iban = iban
            self.bic = bic
        }
    }

    public init(_ input: Input, field: String) throws(FieldError) {
        let holder = try LegalText.oneLine(input.holder, field: "\(field).holder", maximum: 70)
        let iban = try IBAN(input.iban, field: "\(field).iban")
        let bic = try input.bic.map { raw throws(FieldError) in try BIC(raw, field: "\(field).bic") }
        self.init(holder: holder, iban: iban, bic: bic)
    }

    public var input: Input { Input(holder: holder, iban: iban.value, bic: bic?.value) }
}
