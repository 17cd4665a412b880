import BillportCore
import Foundation

/// `PATCH /api/customers/{id}`: an absent field stays; `name` and `email` cannot be emptied
/// (null is 422), `preferences` changes only the toggles it names.
public struct CustomerChange: Sendable, Decodable, KnownKeys {
    public var name: String?
    public var email: String?
    public var preferences: PreferencesChange?

    public enum CodingKeys: String, CodingKey, CaseIterable { case name, email, preferences }
    public static var nested: [String: any KnownKeys.Type] { ["preferences": PreferencesChange.self] }

    /// Some of the three toggles; the others stay.
    public struct PreferencesChange: Sendable, Decodable, KnownKeys {
        public var document: Bool?
        public var reminder: Bool?
        public var marketing: Bool?
        public typealias CodingKeys = Customer.Preferences.CodingKeys

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            document = try container.decodeUnlessAbsent(forKey: .document)
            reminder = try container.decodeUnlessAbsent(forKey: .reminder)
            marketing = try container.decodeUnlessAbsent(forKey: .marketing)
        }
    }

    public init(name: String? = nil, email: String? = nil, preferences: PreferencesChange? = nil) {
        self.name = name
        self.email = email
        self.preferences = preferences
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decodeUnlessAbsent(forKey: .name)
        email = try container.decodeUnlessAbsent(forKey: .email)
        preferences = try container.decodeUnlessAbsent(forKey: .preferences)
    }

    /// The customer's fields with this change over them, validated as a new customer's are.
    /// An erased customer keeps its placeholders: a change would bring personal data back.
    public func applied(to customer: Customer) throws -> (name: String, email: String, preferences: Customer.Preferences) {
        if customer.erasedAt != nil, name != nil || email != nil {
            throw BillingError.conflict(code: "customer_erased", message: "this customer's personal data was erased; its name and email cannot be set again")
        }
        var preferences = customer.preferences
        if let change = self.preferences {
            preferences.document = change.document ?? preferences.document
            preferences.reminder = change.reminder ?? preferences.reminder
            preferences.marketing = change.marketing ?? preferences.marketing
        }
        do throws(FieldError) {
            let newName = try name.map { raw throws(FieldError) in try CustomerName(raw).value } ?? customer.name
            let newEmail = try email.map { raw throws(FieldError) in try EmailAddress(raw).value } ?? customer.email
            return (newName, newEmail, preferences)
        } catch {
            throw BillingError.invalid(error)
        }
    }
}

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
        guard !SingleLineText.hasForbiddenCharacter(trimmed), (1...Self.maximumLength).contains(trimmed.count) else {
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

/// What erasing a customer leaves in place of personal data.
public enum CustomerErasure {
    /// The name shown from then on, on invoices and in the portal.
    public static let name = "Erased customer"

    /// An address under the reserved `.invalid` domain (RFC 2606): nothing can be delivered to it.
    public static func email(customerID: Int64) -> String { "erased-\(customerID)@erased.invalid" }

    /// What an email log line shows instead of the recipient's address.
    public static let recipient = "erased"

    /// What stays of a portal message's text.
    public static let message = "[erased]"
}
