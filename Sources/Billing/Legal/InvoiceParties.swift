import BillportCore
import Foundation

/// Who an invoice is from and to, as the documents print them. Fixed when the invoice is issued
/// (an issued invoice must keep saying what it said when a party later moves or changes its bank);
/// drafts show the current company profile and customer.
public struct InvoiceParties: Sendable, Hashable {
    public var seller: InvoiceDocument.Party
    public var buyer: InvoiceDocument.Party
    public var buyerReference: String?
    public var bankAccount: BankAccount?

    public init(seller: InvoiceDocument.Party, buyer: InvoiceDocument.Party, buyerReference: String?, bankAccount: BankAccount?) {
        self.seller = seller
        self.buyer = buyer
        self.buyerReference = buyerReference
        self.bankAccount = bankAccount
    }

    /// The parties as the tenant's company profile and the customer describe them now.
    public init(company: CompanyProfile, tenantName: String, customer: Customer) {
        self.init(seller: InvoiceDocument.seller(company, tenantName: tenantName), buyer: InvoiceDocument.buyer(customer, details: customer.details),
                  buyerReference: customer.details.buyerReference, bankAccount: company.bankAccount)
    }
}

// Stored as JSON in the invoice row; every value was validated before it was first stored.
extension InvoiceParties: Codable {
    private struct PartyRecord: Codable {
        var name: String
        var address: PostalAddress.Input?
        var vatId, taxNumber, registration, contactName, phone, email: String?
    }

    private enum CodingKeys: String, CodingKey { case seller, buyer, buyerReference, bankAccount }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        func party(_ key: CodingKeys) throws -> InvoiceDocument.Party {
            let record = try container.decode(PartyRecord.self, forKey: key)
            return InvoiceDocument.Party(name: record.name, address: record.address.flatMap(Self.address), vatID: record.vatId.map(VATIdentifier.init(stored:)),
                                        taxNumber: record.taxNumber, registration: record.registration, contactName: record.contactName,
                                        phone: record.phone, email: record.email)
        }
        seller = try party(.seller)
        buyer = try party(.buyer)
        buyerReference = try container.decodeIfPresent(String.self, forKey: .buyerReference)
        bankAccount = try container.decodeIfPresent(BankAccount.Input.self, forKey: .bankAccount).map {
            BankAccount(holder: $0.holder, iban: IBAN(stored: $0.iban), bic: $0.bic.map(BIC.init(stored:)))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        func record(_ party: InvoiceDocument.Party) -> PartyRecord {
            PartyRecord(name: party.name, address: party.address?.input, vatId: party.vatID?.value, taxNumber: party.taxNumber,
                        registration: party.registration, contactName: party.contactName, phone: party.phone, email: party.email)
        }
        try container.encode(record(seller), forKey: .seller)
        try container.encode(record(buyer), forKey: .buyer)
        try container.encodeIfPresent(buyerReference, forKey: .buyerReference)
        try container.encodeIfPresent(bankAccount?.input, forKey: .bankAccount)
    }

    private static func address(_ input: PostalAddress.Input) -> PostalAddress? {
        CountryCode(input.country).map { PostalAddress(lines: input.lines, postalCode: input.postalCode, city: input.city, country: $0) }
    }
}
