import BillportCore
import Foundation

/// An ISO 3166-1 alpha-2 country code (`DE`, `FR`), upper case.
public struct CountryCode: Sendable, Hashable, CustomStringConvertible {
    public let code: String

    /// Nil unless `text` (any case, surrounding spaces ignored) is an ISO 3166-1 alpha-2 code.
    public init?(_ text: String) {
        let upper = text.trimmingCharacters(in: .whitespaces).uppercased()
        guard CodeLists.countryCodes.contains(upper) else { return nil }
        code = upper
    }

    public var description: String { code }
}

/// A VAT identification number: the country prefix and the number, without spaces, dots or
/// dashes (`DE123456789`). Its format is checked for the EU states, Northern Ireland, the United
/// Kingdom, Switzerland and Norway; elsewhere 2 to 13 letters and digits after the prefix.
public struct VATIdentifier: Sendable, Hashable, CustomStringConvertible {
    public let value: String

    /// The two-letter prefix (`EL` for Greece, `XI` for Northern Ireland).
    public var prefix: String { String(value.prefix(2)) }

    /// Checks `text`; the error says what the number should look like, for the field `field`.
    public init(_ text: String, field: String) throws(FieldError) {
        let cleaned = String(text.uppercased().unicodeScalars.filter { !" .-\t".unicodeScalars.contains($0) })
        guard cleaned.count >= 4, cleaned.count <= 20, cleaned.unicodeScalars.allSatisfy({ $0.isASCII && CharacterSet.alphanumerics.contains($0) }) else {
            throw FieldError(field, "must be a VAT identification number with its country prefix, such as DE123456789")
        }
        let prefix = String(cleaned.prefix(2)), number = String(cleaned.dropFirst(2))
        if prefix == "GR" { throw FieldError(field, "Greek VAT numbers start with EL, not GR") }
        if let pattern = Self.patterns[prefix] {
            guard number.wholeMatch(of: try! Regex(pattern)) != nil else {
                throw FieldError(field, "is not a valid \(prefix) VAT number (expected \(prefix) followed by \(Self.shapes[prefix] ?? "the national number"))")
            }
        } else {
            guard prefix.allSatisfy(\.isLetter), (2...13).contains(number.count) else {
                throw FieldError(field, "must start with a two-letter country prefix followed by 2 to 13 letters or digits")
            }
        }
        value = cleaned
    }

    public var description: String { value }


    /// A value read back from the store, checked when it was written.
    public init(stored value: String) { self.value = value }

    /// The national part after the prefix, per country (VIES formats).
    private static let patterns: [String: String] = [
        "AT": "U[0-9]{8}", "BE": "[01][0-9]{9}", "BG": "[0-9]{9,10}", "CY": "[0-9]{8}[A-Z]", "CZ": "[0-9]{8,10}",
        "DE": "[0-9]{9}", "DK": "[0-9]{8}", "EE": "[0-9]{9}", "EL": "[0-9]{9}", "ES": "[A-Z0-9][0-9]{7}[A-Z0-9]",
        "FI": "[0-9]{8}", "FR": "[A-HJ-NP-Z0-9]{2}[0-9]{9}", "HR": "[0-9]{11}", "HU": "[0-9]{8}",
        "IE": "[0-9][A-Z0-9+*][0-9]{5}[A-W][A-I]?", "IT": "[0-9]{11}", "LT": "[0-9]{9}|[0-9]{12}", "LU": "[0-9]{8}",
        "LV": "[0-9]{11}", "MT": "[0-9]{8}", "NL": "[0-9]{9}B[0-9]{2}", "PL": "[0-9]{10}", "PT": "[0-9]{9}",
        "RO": "[0-9]{2,10}", "SE": "[0-9]{10}01", "SI": "[0-9]{8}", "SK": "[0-9]{10}",
        "XI": "[0-9]{9}|[0-9]{12}|GD[0-9]{3}|HA[0-9]{3}", "GB": "[0-9]{9}|[0-9]{12}|GD[0-9]{3}|HA[0-9]{3}",
        "CH": "E[0-9]{9}(MWST|TVA|IVA)?", "NO": "[0-9]{9}(MVA)?",
    ]

    private static let shapes: [String: String] = [
        "AT": "U and 8 digits", "BE": "10 digits starting with 0 or 1", "DE": "9 digits", "EL": "9 digits", "FR": "2 characters and 9 digits",
        "IT": "11 digits", "NL": "9 digits, B and 2 digits", "ES": "9 characters", "PL": "10 digits", "PT": "9 digits", "SE": "12 digits ending in 01",
        "CH": "E and 9 digits (CHE123456789)", "NO": "9 digits and MVA", "DK": "8 digits", "FI": "8 digits", "LU": "8 digits"
    ]
}

/// A postal address as invoices print it: one to three street lines, postal code, city, country.
public struct PostalAddress: Sendable, Hashable {
    public let lines: [String]
    public let postalCode: String?
    public let city: String
    public let country: CountryCode

    public init(lines: [String], postalCode: String?, city: String, country: CountryCode) {
        self.lines = lines
        self.postalCode = postalCode
        self.city = city
        self.country = country
    }

    /// `POST`/`PATCH` bodies' `address` object.
    public struct Input: Sendable, Codable, Equatable, KnownKeys {
        public var lines: [String]
        public var postalCode: String?
        public var city: String
        public var country: String

        public enum CodingKeys: String, CodingKey, CaseIterable { case lines, postalCode, city, country }

        public init(lines: [String], postalCode: String?, city: String, country: String) {
            self.lines = lines
            self.postalCode = postalCode
            self.city = city
            self.country = country
        }
    }

    /// Validates `input`; errors name `field.lines[1]`, `field.country` and so on.
    public init(_ input: Input, field: String) throws(FieldError) {
        guard (1...3).contains(input.lines.count) else { throw FieldError("\(field).lines", "must hold 1 to 3 street lines") }
        var lines: [String] = []
        for (index, line) in input.lines.enumerated() {
            lines.append(try LegalText.oneLine(line, field: "\(field).lines[\(index)]", maximum: 100))
        }
        let postal = try input.postalCode.map { raw throws(FieldError) in try LegalText.oneLine(raw, field: "\(field).postalCode", maximum: 16) }
        let city = try LegalText.oneLine(input.city, field: "\(field).city", maximum: 100)
        guard let country = CountryCode(input.country) else {
            throw FieldError("\(field).country", "must be an ISO 3166-1 alpha-2 country code such as DE (got \"\(input.country.prefix(20))\")")
        }
        self.init(lines: lines, postalCode: postal, city: city, country: country)
    }

    public var input: Input { Input(lines: lines, postalCode: postalCode, city: city, country: country.code) }
}

/// The shared rule for short legal texts: trimmed, one line, bounded.
public enum LegalText {
    /// `raw` trimmed; 1 to `maximum` characters without line breaks or control characters.
    public static func oneLine(_ raw: String, field: String, maximum: Int) throws(FieldError) -> String {
        let text = raw.trimmingCharacters(in: .whitespaces)
        guard (1...maximum).contains(text.limitedLength), !SingleLineText.hasForbiddenCharacter(text) else {
            throw FieldError(field, "must be 1 to \(maximum) characters on one line")
        }
        return text
    }

    /// Like `oneLine`, but line breaks are allowed (payment terms, reasons).
    public static func paragraph(_ raw: String, field: String, maximum: Int) throws(FieldError) -> String {
        let text = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...maximum).contains(text.limitedLength),
              !text.split(separator: "\n").contains(where: { SingleLineText.hasForbiddenCharacter(String($0)) }) else {
            throw FieldError(field, "must be 1 to \(maximum) characters")
        }
        return text
    }
}
