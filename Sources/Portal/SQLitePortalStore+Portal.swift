import BillportCore
import Foundation
import SQLite

/// The unified customer portal: settings, and what one customer may see.
extension SQLitePortalStore {
    public func portalSettings(tenantID: Int64) async throws -> PortalSettings {
        try await database.read { db in try Self.portalSettings(db, tenantID: tenantID) }
    }

    static func portalSettings(_ db: Connection, tenantID: Int64) throws -> PortalSettings {
        try db.queryOne("""
            SELECT portal_enabled, portal_token_days, portal_show_credit_notes, portal_show_statement, portal_welcome_message,
                portal_show_sales_orders, portal_allow_messages
            FROM tenants WHERE id = ?
            """, tenantID) {
            PortalSettings(enabled: $0.bool(0), tokenExpiryDays: $0.int(1), showCreditNotes: $0.bool(2), showStatement: $0.bool(3),
                           showSalesOrders: $0.bool(5), allowMessages: $0.bool(6), welcomeMessage: $0.optionalString(4))
        } ?? PortalSettings()
    }

    public func updatePortalSettings(tenantID: Int64, _ settings: PortalSettings) async throws -> PortalSettings {
        do {
            try settings.validate()
        } catch {
            throw PortalError.invalid(error)
        }
        return try await database.write { db in
            try db.execute("""
                UPDATE tenants SET portal_enabled = ?, portal_token_days = ?, portal_show_credit_notes = ?, portal_show_statement = ?,
                    portal_welcome_message = ?, portal_show_sales_orders = ?, portal_allow_messages = ? WHERE id = ?
                """, settings.enabled, settings.tokenExpiryDays, settings.showCreditNotes, settings.showStatement,
                settings.welcomeMessage, settings.showSalesOrders, settings.allowMessages, tenantID)
            return try Self.portalSettings(db, tenantID: tenantID)
        }
    }

    /// One customer's portal: every invoice its buyer may see (`BuyerVisibility`), for balances
    /// and pages, newest first, strictly scoped to that customer.
    public func portalInvoices(tenantID: Int64, customerID: Int64) async throws -> [Invoice] {
        try await database.read { db in
            let ids = try db.query("""
                SELECT i.id FROM invoices i WHERE i.tenant_id = ? AND i.customer_id = ? AND \(BuyerVisibility.condition("i")) ORDER BY i.id DESC
                """, tenantID, customerID) { $0.int64(0) }
            return try ids.compactMap { try Self.invoice(db, tenantID: tenantID, id: $0) }
        }
    }
}
