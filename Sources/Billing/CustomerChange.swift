import BillportCore
import Foundation

/// `PATCH /api/customers/{id}`: an absent field stays; `name` and `email` cannot be emptied
/// (null is 422), `preferences` changes only the toggles it names; `address`, `vatId` and
/// `buyerReference` are replaced when sent and cleared by null.
public struct CustomerChange: Sendable, Decodable, KnownKeys {
    public var name: String?
    public var email: String?
    public var preferences: PreferencesChange?
    public var address: PostalAddress.Input??
    public var vatId: String??
    public var buyerReference: String??

    public enum CodingKeys: String, CodingKey, CaseIterable { case name, email, preferences, address, vatId, buyerReference }
    public static var nested: [String: any KnownKeys.Type] { ["preferences": PreferencesChange.self, "address": PostalAddress.Input.self] }

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
        address = try container.decodeChange(forKey: .address)
        vatId = try container.decodeChange(forKey: .vatId)
        buyerReference = try container.decodeChange(forKey: .buyerReference)
    }

    /// The customer's fields with this change over them, validated as a new customer's are.
    /// An erased customer keeps its placeholders: a change would bring personal data back.
    public func applied(to customer: Customer) throws -> (name: String, email: String, preferences: Customer.Preferences, details: BuyerDetails) {
        if customer.erasedAt != nil, name != nil || email != nil || address != nil || vatId != nil || buyerReference != nil {
            throw BillingError.conflict(code: "customer_erased", message: "this customer's personal data was erased; its name, email and address cannot be set again")
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
            var details = customer.details
            if let change = address { details.address = try change.map { v throws(FieldError) in try PostalAddress(v, field: "address") } }
            if let change = vatId { details.vatID = try change.map { v throws(FieldError) in try VATIdentifier(v, field: "vatId") } }
            if let change = buyerReference { details.buyerReference = try change.map { v throws(FieldError) in try BuyerDetails.buyerReference(v) } }
            return (newName, newEmail, preferences, details)
        } catch {
            throw BillingError.invalid(error)
        }
    }
}
