import BillportCore
import Foundation

/// `GET /api/customers?q=`: a case-insensitive substring of the name or the email. The list
/// is read newest first along the tenant's index and each row compared in turn, at most
/// `scanLimit` rows per request: a page may hold fewer than `limit` matches and still name
/// where to continue, so one search never costs more than that many rows.
public struct CustomerSearch: Sendable, Equatable {
    public let text: String

    /// Longest search text, in characters.
    public static let maximumLength = 100
    /// Rows one search request examines at most.
    public static let scanLimit = 2000

    /// `raw` trimmed; 1–100 characters on one line, else a `FieldError` naming `q`.
    public init(_ raw: String) throws(FieldError) {
        let trimmed = raw.trimmingCharacters(in: .whitespaces)
        guard !SingleLineText.hasForbiddenCharacter(trimmed), (1...Self.maximumLength).contains(trimmed.limitedLength) else {
            throw FieldError("q", "must be 1 to \(Self.maximumLength) characters on one line")
        }
        text = trimmed
    }

    /// Whether `customer` matches: the text within the name or the email, ignoring case and accents.
    public func matches(_ customer: Customer) -> Bool {
        let options: String.CompareOptions = [.caseInsensitive, .diacriticInsensitive]
        return customer.name.range(of: text, options: options) != nil || customer.email.range(of: text, options: options) != nil
    }
}

/// One page of customers, newest first; `nextBefore` is where the next page starts (nil at the end).
public struct CustomerPage: Sendable {
    public let customers: [Customer]
    public let nextBefore: Int64?

    public init(customers: [Customer], nextBefore: Int64?) {
        self.customers = customers
        self.nextBefore = nextBefore
    }
}
