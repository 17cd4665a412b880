import Billing
import BillportCore
import Foundation
import Relational
import SQLite
import Tokens

/// `TenantStore` on SQLite.
public final class SQLTenantStore: TenantStore, SQLStore {
    let context: BillingStoreContext

    init(_ context: BillingStoreContext) { self.context = context }

    // MARK: Tenants

    public func createTenant(slug: String, name: String) async throws -> Tenant {
        guard Tenant.isValidSlug(slug) else {
            throw BillingError.invalid(FieldError("slug", "must be 2 to 40 characters of a-z, 0-9 and '-', starting with a letter"))
        }
        let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...200).contains(trimmed.limitedLength) else { throw BillingError.invalid(FieldError("name", "must be 1 to 200 characters")) }
        let now = clock.now()
        return try await database.write { db in
            guard try db.queryOne("SELECT 1 FROM tenants WHERE slug = ?", slug, map: { _ in true }) == nil else {
                throw BillingError.conflict(code: "slug_taken", message: "a tenant with slug \(slug) exists")
            }
            let id = try db.insert("INSERT INTO tenants (slug, name, created_at) VALUES (?, ?, ?)", slug, trimmed, now)
            return Tenant(id: id, slug: slug, name: trimmed, createdAt: now)
        }
    }

    public func tenant(slug: String) async throws -> Tenant? {
        try await database.read { db in
            try db.queryOne("SELECT id, slug, name, created_at FROM tenants WHERE slug = ?", slug) {
                Tenant(id: $0.int64(0), slug: $0.string(1), name: $0.string(2), createdAt: $0.date(3))
            }
        }
    }

    public func tenant(id: Int64) async throws -> Tenant? {
        try await database.read { db in
            try db.queryOne("SELECT id, slug, name, created_at FROM tenants WHERE id = ?", id) {
                Tenant(id: $0.int64(0), slug: $0.string(1), name: $0.string(2), createdAt: $0.date(3))
            }
        }
    }

    public func portalSettings(tenantID: Int64) async throws -> CustomerPortalSettings {
        try await database.read { db in try Self.portalSettings(db, tenantID: tenantID) }
    }

    public func updatePortalSettings(tenantID: Int64, _ settings: CustomerPortalSettings) async throws -> CustomerPortalSettings {
        do {
            try settings.validate()
        } catch {
            throw BillingError.invalid(error)
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

    public func branding(tenantID: Int64) async throws -> Branding {
        try await database.read { db in try Self.branding(db, tenantID: tenantID) }
    }

    public func updateBranding(tenantID: Int64, brandColor: String?, pageSize: Branding.PageSize, paymentInstructions: String?) async throws -> Branding {
        if let brandColor, !Branding.isValidColor(brandColor) {
            throw BillingError.invalid(FieldError("brandColor", "must be a colour like #1F6FEB"))
        }
        if let paymentInstructions, paymentInstructions.limitedLength > 1000 {
            throw BillingError.invalid(FieldError("paymentInstructions", "must be at most 1000 characters"))
        }
        return try await database.write { db in
            try db.execute("UPDATE tenants SET brand_color = ?, page_size = ?, payment_instructions = ? WHERE id = ?",
                           brandColor, pageSize.rawValue, paymentInstructions, tenantID)
            return try Self.branding(db, tenantID: tenantID)
        }
    }

    public func updateLogo(tenantID: Int64, logo: [UInt8]?) async throws {
        if let logo {
            guard logo.count <= 1 << 20 else { throw BillingError.invalid(FieldError("logo", "must be at most 1 MiB")) }
            guard Branding.looksLikeImage(logo) else { throw BillingError.invalid(FieldError("logo", "must be a PNG or JPEG image")) }
        }
        try await database.write { db in try db.execute("UPDATE tenants SET logo = ? WHERE id = ?", logo, tenantID) }
    }
}
