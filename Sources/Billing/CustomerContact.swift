import BillportCore
import Foundation

/// The one rule for text that goes onto a single line of an email header or a page: no C0 or
/// C1 control character, no DEL, no Unicode line or paragraph separator. A CR/LF in a
/// customer's name would break every message addressed to them (and could forge headers).
public enum SingleLineText {
    /// Whether `text` holds a character that has no place on one line.
    public static func hasForbiddenCharacter(_ text: String) -> Bool {
        text.unicodeScalars.contains { scalar in
            let value = scalar.value
            return value < 0x20 || (0x7F...0x9F).contains(value) || value == 0x2028 || value == 0x2029
        }
    }
}

/// A customer's name as stored: trimmed, 1–200 characters on one line.
public struct CustomerName: Sendable, Hashable, CustomStringConvertible {
    public let value: String

    /// Longest name accepted, in characters.
    public static let maximumLength = 200

    /// `raw` trimmed and checked; a `FieldError` naming `field` otherwise.
    public init(_ raw: String, field: String = "name") throws(FieldError) {
        let trimmed = raw.trimmingCharacters(in: .whitespaces)
        guard !SingleLineText.hasForbiddenCharacter(trimmed) else {
            throw FieldError(field, "must not contain line breaks or control characters")
        }
        guard (1...Self.maximumLength).contains(trimmed.limitedLength) else { throw FieldError(field, "must be 1 to \(Self.maximumLength) characters") }
        value = trimmed
    }

    public var description: String { value }
}

/// An email address as stored: trimmed, at most 254 bytes, one `@` with something on each side
/// and a dot in the domain, nothing a header could be split or forged with. The loosest check
/// that still catches typos; the mail server has the last word.
public struct EmailAddress: Sendable, Hashable, CustomStringConvertible {
    public let value: String

    /// `raw` trimmed and checked; a `FieldError` naming `field` otherwise.
    public init(_ raw: String, field: String = "email") throws(FieldError) {
        let trimmed = raw.trimmingCharacters(in: .whitespaces)
        guard !SingleLineText.hasForbiddenCharacter(trimmed) else {
            throw FieldError(field, "must not contain line breaks or control characters")
        }
        guard Self.isPlausible(trimmed) else { throw FieldError(field, "must be an email address like name@example.com") }
        value = trimmed
    }

    public var description: String { value }

    /// Whether `text` looks like an address (see the type's comment).
    public static func isPlausible(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard text.utf8.count <= 254, parts.count == 2, !parts[0].isEmpty, parts[1].contains("."),
              !parts[1].hasPrefix("."), !parts[1].hasSuffix("."), !SingleLineText.hasForbiddenCharacter(text),
              !text.contains(where: { $0.isWhitespace || $0 == "<" || $0 == ">" || $0 == "," || $0 == ";" })
        else { return false }
        return true
    }
}
