import BillportCore

/// The company profile as `GET /api/settings/company` shows it, with whether e-invoices can be made.
public struct CompanyProfileRepresentation: Encodable, Sendable {
    struct EInvoicing: Encodable, Sendable {
        let available: Bool
        /// The fields still to fill in before e-invoices (and the legal blocks of the PDF) are complete.
        let missing: [String]
    }

    let legalName: String?
    let address: PostalAddress.Input?
    let vatId: String?
    let taxNumber: String?
    let registration: String?
    let contactName: String?
    let contactPhone: String?
    let contactEmail: String?
    let bankAccount: BankAccount.Input?
    let eInvoicing: EInvoicing

    public init(_ profile: CompanyProfile) {
        legalName = profile.legalName
        address = profile.address?.input
        vatId = profile.vatID?.value
        taxNumber = profile.taxNumber
        registration = profile.registration
        contactName = profile.contact.name
        contactPhone = profile.contact.phone
        contactEmail = profile.contact.email
        bankAccount = profile.bankAccount?.input
        let missing = profile.missingForEInvoices
        eInvoicing = EInvoicing(available: missing.isEmpty, missing: missing)
    }

    // Nulls are part of the contract: every key is always present.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(legalName, forKey: .legalName)
        try container.encode(address, forKey: .address)
        try container.encode(vatId, forKey: .vatId)
        try container.encode(taxNumber, forKey: .taxNumber)
        try container.encode(registration, forKey: .registration)
        try container.encode(contactName, forKey: .contactName)
        try container.encode(contactPhone, forKey: .contactPhone)
        try container.encode(contactEmail, forKey: .contactEmail)
        try container.encode(bankAccount, forKey: .bankAccount)
        try container.encode(eInvoicing, forKey: .eInvoicing)
    }

    enum CodingKeys: String, CodingKey {
        case legalName, address, vatId, taxNumber, registration, contactName, contactPhone, contactEmail, bankAccount, eInvoicing
    }
}
