import Billing
import BillportCore
import Foundation
import Relational
import SQLite

/// The tenant's customer records: the list, changes, deletion and erasure.
extension SQLCustomerStore {
    /// Rows read per step of a search (`CustomerSearch.scanLimit` in all).
    private static let searchChunk = 500

    public func customers(tenantID: Int64, search: CustomerSearch?, limit: Int, beforeID: Int64?) async throws -> CustomerPage {
        try await database.read { db in
            let sql = "SELECT \(Self.customerColumns) FROM customers WHERE tenant_id = ? AND id < ? ORDER BY id DESC LIMIT ?"
            guard let search else {
                let page = try db.query(sql, tenantID, beforeID ?? Int64.max, limit, map: Self.customerRow)
                return CustomerPage(customers: page, nextBefore: page.count == limit ? page.last?.id : nil)
            }
            var found: [Customer] = []
            var cursor = beforeID ?? Int64.max
            var scanned = 0
            while scanned < CustomerSearch.scanLimit {
                let chunk = try db.query(sql, tenantID, cursor, min(Self.searchChunk, CustomerSearch.scanLimit - scanned), map: Self.customerRow)
                for customer in chunk {
                    scanned += 1
                    cursor = customer.id
                    guard search.matches(customer) else { continue }
                    found.append(customer)
                    if found.count == limit { return CustomerPage(customers: found, nextBefore: customer.id) }
                }
                if chunk.count < Self.searchChunk { return CustomerPage(customers: found, nextBefore: nil) }
            }
            return CustomerPage(customers: found, nextBefore: cursor)
        }
    }

    public func updateCustomer(tenantID: Int64, id: Int64, _ change: CustomerChange) async throws -> Customer {
        try await database.write { [self] db in
            guard let current = try Self.customer(db, tenantID: tenantID, id: id) else { throw BillingError.notFound("customer") }
            let fields = try change.applied(to: current)
            try db.execute("""
                UPDATE customers SET name = ?, email = ?, pref_document = ?, pref_reminder = ?, pref_marketing = ? WHERE tenant_id = ? AND id = ?
                """, fields.name, fields.email, fields.preferences.document, fields.preferences.reminder, fields.preferences.marketing, tenantID, id)
            try Self.writeDetails(db, customerID: id, fields.details)
            guard let customer = try Self.customer(db, tenantID: tenantID, id: id) else { throw BillingError.notFound("customer") }
            // The tenant's change of the toggles is told like the customer's own.
            if customer.preferences != current.preferences {
                try recordEvent(db, tenantID: tenantID, customerID: customer.id, type: .customerPreferencesChanged, data: CustomerRepresentation(customer))
            }
            return customer
        }
    }

    public func deleteCustomer(tenantID: Int64, id: Int64) async throws {
        try await database.write { db in
            guard try Self.customer(db, tenantID: tenantID, id: id) != nil else { throw BillingError.notFound("customer") }
            if try db.queryOne("SELECT 1 FROM invoices WHERE tenant_id = ? AND customer_id = ? LIMIT 1", tenantID, id, map: { $0.int(0) }) != nil {
                throw BillingError.conflict(code: "customer_has_invoices",
                                            message: "this customer has invoices, which must be kept; erase its personal data instead")
            }
            if try db.queryOne("SELECT 1 FROM sales_orders WHERE tenant_id = ? AND customer_id = ? LIMIT 1", tenantID, id, map: { $0.int(0) }) != nil {
                throw BillingError.conflict(code: "customer_has_sales_orders",
                                            message: "this customer has sales orders; erase its personal data instead")
            }
            try db.execute("DELETE FROM links WHERE customer_id = ? AND tenant_id = ?", id, tenantID)
            try db.execute("DELETE FROM customer_messages WHERE tenant_id = ? AND customer_id = ?", tenantID, id)
            try db.execute("DELETE FROM email_log WHERE customer_id = ? AND tenant_id = ?", id, tenantID)
            try db.execute("DELETE FROM customers WHERE tenant_id = ? AND id = ?", tenantID, id)
        }
    }

    public func eraseCustomer(tenantID: Int64, id: Int64) async throws -> Customer {
        let now = clock.now()
        return try await database.write { db in
            guard try Self.customer(db, tenantID: tenantID, id: id) != nil else { throw BillingError.notFound("customer") }
            let invoices = "SELECT id FROM invoices WHERE tenant_id = ? AND customer_id = ?"
            try db.execute("""
                UPDATE customers SET name = ?, email = ?, pref_document = 0, pref_reminder = 0, pref_marketing = 0,
                    address_lines = NULL, postal_code = NULL, city = NULL, country = NULL, vat_id = NULL, buyer_reference = NULL,
                    unsubscribe_token_hash = NULL, erased_at = coalesce(erased_at, ?) WHERE tenant_id = ? AND id = ?
                """, CustomerErasure.name, CustomerErasure.email(customerID: id), now, tenantID, id)
            try db.execute("UPDATE views SET ip = '', user_agent = NULL WHERE invoice_id IN (\(invoices))", tenantID, id)
            try db.execute("DELETE FROM view_addresses WHERE invoice_id IN (\(invoices))", tenantID, id)
            // Every public link to its invoices stops too: an open after the erasure would record an address again.
            try db.execute("UPDATE links SET recipient = NULL, revoked_at = coalesce(revoked_at, ?) WHERE invoice_id IN (\(invoices))", now, tenantID, id)
            try db.execute("UPDATE links SET revoked_at = ? WHERE customer_id = ? AND kind = 'portal' AND revoked_at IS NULL", now, id)
            try db.execute("UPDATE customer_messages SET body = ? WHERE tenant_id = ? AND customer_id = ?", CustomerErasure.message, tenantID, id)
            try db.execute("UPDATE email_log SET recipient = ?, detail = NULL WHERE customer_id = ? AND tenant_id = ?",
                           CustomerErasure.recipient, id, tenantID)
            // Events about the customer keep their type and time; their data (names, addresses, messages,
            // user agents) becomes a marker, for deliveries still pending too.
            try db.execute("UPDATE webhook_events SET body = \(Self.erasedEventBody(db.dialect)) WHERE customer_id = ? AND tenant_id = ?", id, tenantID)
            guard let customer = try Self.customer(db, tenantID: tenantID, id: id) else { throw BillingError.notFound("customer") }
            return customer
        }
    }

    /// An event body with its `data` replaced by the erasure marker, the rest byte for byte.
    /// PostgreSQL has no `json_set` keeping the text as it was (`jsonb_set` reorders and
    /// re-spaces): the body is sorted-keys JSON (`eventEncoder`) with `data` first, so the
    /// marker is written in its place ahead of the original `timestamp` and `type` tokens.
    private static func erasedEventBody(_ dialect: SQLDialect) -> String {
        switch dialect {
        case .sqlite:
            "json_set(body, '$.data', json_object('customerId', customer_id, 'erased', json('true')))"
        case .postgres:
            """
            '{"data":{"customerId":' || customer_id || ',"erased":true},"timestamp":' || (body::json -> 'timestamp')::text
                || ',"type":' || (body::json -> 'type')::text || '}'
            """
        }
    }
}
