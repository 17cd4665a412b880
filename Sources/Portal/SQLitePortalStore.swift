import BillportCore
import Foundation
import Queue
import SQLite
import Tokens

/// Tenants, customers, invoices and links on the shared SQLite file. Every read and write is
/// scoped by tenant id: another tenant's object is simply not found.
public final class SQLitePortalStore: Sendable {
    public let database: Database
    public let clock: any WallClock
    /// Where business writes enqueue the work they cause, in their own transaction.
    public let jobs: SQLiteJobStore?

    public init(database: Database, clock: any WallClock = SystemClock(), jobs: SQLiteJobStore? = nil) {
        self.database = database
        self.clock = clock
        self.jobs = jobs
    }

    /// The payload of `pdf.render`.
    public struct RenderPDF: Codable, Sendable {
        public let tenantId: Int64
        public let invoiceId: Int64
    }

    /// Enqueues a (re)render of the invoice's PDF in the caller's transaction, so the cache is
    /// warm when a buyer opens the link. One pending render per invoice; `after` delays it, so
    /// that a burst of changes (payment events) renders once.
    func enqueueRender(_ db: Connection, tenantID: Int64, invoiceID: Int64, after delay: TimeInterval = 0) throws {
        guard let jobs else { return }
        _ = try jobs.enqueue([NewJob(kind: "pdf.render", payload: RenderPDF(tenantId: tenantID, invoiceId: invoiceID),
                                     runAt: delay > 0 ? clock.now().addingTimeInterval(delay) : nil,
                                     uniqueKey: "pdf.render:\(invoiceID)")], in: db)
    }

    // MARK: Tenants

    /// Creates a tenant; a taken slug is a conflict.
    public func createTenant(slug: String, name: String) async throws -> Tenant {
        guard Tenant.isValidSlug(slug) else {
            throw PortalError.invalid(FieldError("slug", "must be 2 to 40 characters of a-z, 0-9 and '-', starting with a letter"))
        }
        let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...200).contains(trimmed.count) else { throw PortalError.invalid(FieldError("name", "must be 1 to 200 characters")) }
        let now = clock.now()
        return try await database.write { db in
            guard try db.queryOne("SELECT 1 FROM tenants WHERE slug = ?", slug, map: { _ in true }) == nil else {
                throw PortalError.conflict(code: "slug_taken", message: "a tenant with slug \(slug) exists")
            }
            try db.execute("INSERT INTO tenants (slug, name, created_at) VALUES (?, ?, ?)", slug, trimmed, now)
            return Tenant(id: db.lastInsertRowID, slug: slug, name: trimmed, createdAt: now)
        }
    }

    /// The tenant with `slug`.
    public func tenant(slug: String) async throws -> Tenant? {
        try await database.read { db in
            try db.queryOne("SELECT id, slug, name, created_at FROM tenants WHERE slug = ?", slug) {
                Tenant(id: $0.int64(0), slug: $0.string(1), name: $0.string(2), createdAt: $0.date(3))
            }
        }
    }

    /// The tenant with `id`.
    public func tenant(id: Int64) async throws -> Tenant? {
        try await database.read { db in
            try db.queryOne("SELECT id, slug, name, created_at FROM tenants WHERE id = ?", id) {
                Tenant(id: $0.int64(0), slug: $0.string(1), name: $0.string(2), createdAt: $0.date(3))
            }
        }
    }

    // MARK: Customers

    /// Creates a customer of `tenantID`; the name and email must pass `CustomerName` and
    /// `EmailAddress` (422 naming the field otherwise).
    public func createCustomer(tenantID: Int64, name: String, email: String, preferences: Customer.Preferences) async throws -> Customer {
        let trimmedName: String, trimmedEmail: String
        do {
            trimmedName = try CustomerName(name).value
            trimmedEmail = try EmailAddress(email).value
        } catch {
            throw PortalError.invalid(error)
        }
        let now = clock.now()
        return try await database.write { db in
            try db.execute("""
                INSERT INTO customers (tenant_id, name, email, pref_document, pref_reminder, pref_marketing, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """, tenantID, trimmedName, trimmedEmail, preferences.document, preferences.reminder, preferences.marketing, now)
            return Customer(id: db.lastInsertRowID, name: trimmedName, email: trimmedEmail, preferences: preferences, createdAt: now)
        }
    }

    /// The customer `id` of `tenantID`.
    public func customer(tenantID: Int64, id: Int64) async throws -> Customer? {
        try await database.read { db in try Self.customer(db, tenantID: tenantID, id: id) }
    }

    static func customer(_ db: Connection, tenantID: Int64, id: Int64) throws -> Customer? {
        try db.queryOne("""
            SELECT id, name, email, pref_document, pref_reminder, pref_marketing, created_at
            FROM customers WHERE tenant_id = ? AND id = ?
            """, tenantID, id) {
            Customer(id: $0.int64(0), name: $0.string(1), email: $0.string(2),
                     preferences: .init(document: $0.bool(3), reminder: $0.bool(4), marketing: $0.bool(5)), createdAt: $0.date(6))
        }
    }
}
