import Billing
import BillportCore
import Foundation
import Relational
import SQLite
import Tokens

/// `CustomerStore` on SQLite.
public final class SQLCustomerStore: CustomerStore, SQLStore {
    let context: BillingStoreContext

    init(_ context: BillingStoreContext) { self.context = context }

    // MARK: Customers

    public func createCustomer(tenantID: Int64, name: String, email: String, preferences: Customer.Preferences,
                               details: BuyerDetails) async throws -> Customer {
        let trimmedName: String, trimmedEmail: String
        do {
            trimmedName = try CustomerName(name).value
            trimmedEmail = try EmailAddress(email).value
        } catch {
            throw BillingError.invalid(error)
        }
        let now = clock.now()
        return try await database.write { db in
            let id = try db.insert("""
                INSERT INTO customers (tenant_id, name, email, pref_document, pref_reminder, pref_marketing, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """, tenantID, trimmedName, trimmedEmail, preferences.document, preferences.reminder, preferences.marketing, now)
            try Self.writeDetails(db, customerID: id, details)
            return Customer(id: id, name: trimmedName, email: trimmedEmail, preferences: preferences, createdAt: now, details: details)
        }
    }

    public func customer(tenantID: Int64, id: Int64) async throws -> Customer? {
        try await database.read { db in try Self.customer(db, tenantID: tenantID, id: id) }
    }

    // MARK: Preferences

    public func registerUnsubscribeToken(tenantID: Int64, customerID: Int64, hash: [UInt8]) async throws {
        try await database.write { db in
            try db.execute("""
                UPDATE customers SET unsubscribe_token_hash = ? WHERE tenant_id = ? AND id = ? AND unsubscribe_token_hash IS DISTINCT FROM ?
                """, hash, tenantID, customerID, hash)
        }
    }

    public func customer(unsubscribeHash hash: [UInt8]) async throws -> (tenantName: String, tenantID: Int64, customer: Customer)? {
        try await database.read { db in
            guard let (tenantID, customerID, name) = try db.queryOne("""
                SELECT c.tenant_id, c.id, t.name FROM customers c JOIN tenants t ON t.id = c.tenant_id WHERE c.unsubscribe_token_hash = ?
                """, hash, map: { ($0.int64(0), $0.int64(1), $0.string(2)) }),
                  let customer = try Self.customer(db, tenantID: tenantID, id: customerID) else { return nil }
            return (name, tenantID, customer)
        }
    }

    public func setPreferences(tenantID: Int64, customerID: Int64, _ preferences: Customer.Preferences) async throws -> Customer {
        try await database.write { [self] db in
            guard let before = try Self.customer(db, tenantID: tenantID, id: customerID) else { throw BillingError.notFound("customer") }
            // Saving the same choices again changes nothing and tells no one.
            guard before.preferences != preferences else { return before }
            try db.execute("UPDATE customers SET pref_document = ?, pref_reminder = ?, pref_marketing = ? WHERE tenant_id = ? AND id = ?",
                           preferences.document, preferences.reminder, preferences.marketing, tenantID, customerID)
            guard let customer = try Self.customer(db, tenantID: tenantID, id: customerID) else { throw BillingError.notFound("customer") }
            try recordEvent(db, tenantID: tenantID, customerID: customer.id, type: .customerPreferencesChanged, data: CustomerRepresentation(customer))
            return customer
        }
    }

    /// Address, VAT id and reference of customer `customerID` (its tenant checked by the caller).
    static func writeDetails(_ db: any SQLConnection, customerID: Int64, _ details: BuyerDetails) throws {
        try db.execute("""
            UPDATE customers SET address_lines = ?, postal_code = ?, city = ?, country = ?, vat_id = ?, buyer_reference = ? WHERE id = ?
            """, arguments: addressValues(details.address) + [details.vatID?.value, details.buyerReference, customerID])
    }
}
