import Billing
import BillportCore
import Foundation
import Relational
import SQLite

/// The tenant's company profile: one row per tenant, absent until the tenant first sets it.
extension SQLTenantStore {
    public func companyProfile(tenantID: Int64) async throws -> CompanyProfile {
        try await database.read { db in try Self.companyProfile(db, tenantID: tenantID) }
    }

    public func updateCompanyProfile(tenantID: Int64, _ change: @escaping @Sendable (CompanyProfile) throws -> CompanyProfile) async throws -> CompanyProfile {
        let now = clock.now()
        return try await database.write { db in
            let profile = try change(try Self.companyProfile(db, tenantID: tenantID))
            let bank = profile.bankAccount
            try db.execute("""
                INSERT INTO company_profiles (tenant_id, legal_name, address_lines, postal_code, city, country, vat_id, tax_number,
                    registration, contact_name, contact_phone, contact_email, bank_holder, bank_iban, bank_bic, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (tenant_id) DO UPDATE SET legal_name = excluded.legal_name, address_lines = excluded.address_lines,
                    postal_code = excluded.postal_code, city = excluded.city, country = excluded.country, vat_id = excluded.vat_id,
                    tax_number = excluded.tax_number, registration = excluded.registration, contact_name = excluded.contact_name,
                    contact_phone = excluded.contact_phone, contact_email = excluded.contact_email, bank_holder = excluded.bank_holder,
                    bank_iban = excluded.bank_iban, bank_bic = excluded.bank_bic, updated_at = excluded.updated_at
                """, arguments: [tenantID, profile.legalName] + Self.addressValues(profile.address) + [
                    profile.vatID?.value, profile.taxNumber, profile.registration, profile.contact.name, profile.contact.phone,
                    profile.contact.email, bank?.holder, bank?.iban.value, bank?.bic?.value, now,
                ])
            return profile
        }
    }

    static func companyProfile(_ db: any SQLConnection, tenantID: Int64) throws -> CompanyProfile {
        try db.queryOne("""
            SELECT legal_name, address_lines, postal_code, city, country, vat_id, tax_number, registration, contact_name, contact_phone,
                contact_email, bank_holder, bank_iban, bank_bic
            FROM company_profiles WHERE tenant_id = ?
            """, tenantID) { row in
            let bank = row.optionalString(11).flatMap { holder in
                row.optionalString(12).map { BankAccount(holder: holder, iban: IBAN(stored: $0), bic: row.optionalString(13).map(BIC.init(stored:))) }
            }
            return CompanyProfile(legalName: row.optionalString(0), address: address(row, from: 1),
                                  vatID: row.optionalString(5).map(VATIdentifier.init(stored:)), taxNumber: row.optionalString(6),
                                  registration: row.optionalString(7),
                                  contact: .init(name: row.optionalString(8), phone: row.optionalString(9), email: row.optionalString(10)),
                                  bankAccount: bank)
        } ?? CompanyProfile()
    }
}
