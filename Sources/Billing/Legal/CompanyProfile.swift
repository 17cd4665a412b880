import BillportCore
import Foundation

/// The seller's legal identity, as a valid invoice must state it: name, address, tax numbers,
/// contact and the bank account buyers transfer to. Every field may be missing until the tenant
/// fills it in; `missingForEInvoices` says what e-invoices still need.
public struct CompanyProfile: Sendable, Hashable {
    public var legalName: String?
    public var address: PostalAddress?
    public var vatID: VATIdentifier?
    /// The national tax number (German Steuernummer), for sellers without a VAT id.
    public var taxNumber: String?
    /// Company register entry, e.g. `HRB 12345, Amtsgericht Berlin`.
    public var registration: String?
    public var contact: Contact
    public var bankAccount: BankAccount?

    /// Who buyers reach with questions about an invoice.
    public struct Contact: Sendable, Hashable {
        public var name: String?
        public var phone: String?
        public var email: String?

        public init(name: String? = nil, phone: String? = nil, email: String? = nil) {
            self.name = name
            self.phone = phone
            self.email = email
        }
    }

    public init(legalName: String? = nil, address: PostalAddress? = nil, vatID: VATIdentifier? = nil, taxNumber: String? = nil,
                registration: String? = nil, contact: Contact = Contact(), bankAccount: BankAccount? = nil) {
        self.legalName = legalName
        self.address = address
        self.vatID = vatID
        self.taxNumber = taxNumber
        self.registration = registration
        self.contact = contact
        self.bankAccount = bankAccount
    }

    /// The request fields e-invoices need that are still empty (`legalName`, `address`,
    /// `vatId or taxNumber`); empty when the tenant can issue them.
    public var missingForEInvoices: [String] {
        var missing: [String] = []
        if legalName == nil { missing.append("legalName") }
        if address == nil { missing.append("address") }
        if vatID == nil, taxNumber == nil { missing.append("vatId or taxNumber") }
        return missing
    }
}

/// `PATCH /api/settings/company`: an absent field stays, `null` clears it, an object replaces
/// the whole address or bank account.
public struct CompanyProfileChange: Sendable, Decodable, KnownKeys {
    public var legalName: String??
    public var address: PostalAddress.Input??
    public var vatId: String??
    public var taxNumber: String??
    public var registration: String??
    public var contactName: String??
    public var contactPhone: String??
    public var contactEmail: String??
    public var bankAccount: BankAccount.Input??

    public enum CodingKeys: String, CodingKey, CaseIterable {
        case legalName, address, vatId, taxNumber, registration, contactName, contactPhone, contactEmail, bankAccount
    }
    public static var nested: [String: any KnownKeys.Type] { ["address": PostalAddress.Input.self, "bankAccount": BankAccount.Input.self] }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        legalName = try container.decodeChange(forKey: .legalName)
        address = try container.decodeChange(forKey: .address)
        vatId = try container.decodeChange(forKey: .vatId)
        taxNumber = try container.decodeChange(forKey: .taxNumber)
        registration = try container.decodeChange(forKey: .registration)
        contactName = try container.decodeChange(forKey: .contactName)
        contactPhone = try container.decodeChange(forKey: .contactPhone)
        contactEmail = try container.decodeChange(forKey: .contactEmail)
        bankAccount = try container.decodeChange(forKey: .bankAccount)
    }

    /// `profile` with this change over it; the first invalid field is thrown, named.
    public func applied(to profile: CompanyProfile) throws(FieldError) -> CompanyProfile {
        var result = profile
        if let change = legalName { result.legalName = try change.map { v throws(FieldError) in try LegalText.oneLine(v, field: "legalName", maximum: 200) } }
        if let change = address { result.address = try change.map { v throws(FieldError) in try PostalAddress(v, field: "address") } }
        if let change = vatId { result.vatID = try change.map { v throws(FieldError) in try VATIdentifier(v, field: "vatId") } }
        if let change = taxNumber { result.taxNumber = try change.map { v throws(FieldError) in try LegalText.oneLine(v, field: "taxNumber", maximum: 40) } }
        if let change = registration { result.registration = try change.map { v throws(FieldError) in try LegalText.oneLine(v, field: "registration", maximum: 200) } }
        if let change = contactName { result.contact.name = try change.map { v throws(FieldError) in try LegalText.oneLine(v, field: "contactName", maximum: 100) } }
        if let change = contactPhone { result.contact.phone = try change.map { v throws(FieldError) in try Self.phone(v) } }
        if let change = contactEmail { result.contact.email = try change.map { v throws(FieldError) in try EmailAddress(v, field: "contactEmail").value } }
        if let change = bankAccount { result.bankAccount = try change.map { v throws(FieldError) in try BankAccount(v, field: "bankAccount") } }
        return result
    }

    private static func phone(_ raw: String) throws(FieldError) -> String {
        let text = try LegalText.oneLine(raw, field: "contactPhone", maximum: 30)
        guard text.allSatisfy({ $0.isASCII && ($0.isNumber || " +-()/.".contains($0)) }), text.contains(where: \.isNumber) else {
            throw FieldError("contactPhone", "must be a phone number of digits, spaces and + - ( ) / .")
        }
        return text
    }
}

/// What a buyer's invoices must say about the buyer beyond name and email.
public struct BuyerDetails: Sendable, Hashable {
    public var address: PostalAddress?
    public var vatID: VATIdentifier?
    /// The reference the buyer asks to see on invoices (for German public buyers the Leitweg-ID).
    public var buyerReference: String?

    public init(address: PostalAddress? = nil, vatID: VATIdentifier? = nil, buyerReference: String? = nil) {
        self.address = address
        self.vatID = vatID
        self.buyerReference = buyerReference
    }

    public static func buyerReference(_ raw: String) throws(FieldError) -> String {
        try LegalText.oneLine(raw, field: "buyerReference", maximum: 100)
    }
}
