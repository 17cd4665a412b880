import Billing
import BillportCore
import Foundation
import Relational
import SQLite

/// `ViewStore` on SQLite.
public final class SQLViewStore: ViewStore, SQLStore {
    let context: BillingStoreContext

    init(_ context: BillingStoreContext) { self.context = context }

    public func insertViews(_ views: [ViewRecord]) async throws {
        guard !views.isEmpty else { return }
        try await database.write { db in
            // A view recorded just before its customer was erased arrives without address or agent.
            for view in views {
                try db.execute("""
                    INSERT INTO views (view_key, tenant_id, invoice_id, link_id, source, ip, user_agent, viewed_at)
                    SELECT ?, ?, ?, ?, ?, CASE WHEN c.erased_at IS NULL THEN ? ELSE '' END, CASE WHEN c.erased_at IS NULL THEN ? END, ?
                    FROM invoices i JOIN customers c ON c.id = i.customer_id WHERE i.id = ?
                    ON CONFLICT (view_key) DO NOTHING
                    """, view.key, view.tenantID, view.invoiceID, view.linkID, view.source.rawValue, view.ip, view.userAgent,
                    view.viewedAt, view.invoiceID)
            }
        }
    }

    @discardableResult
    public func aggregateViews(window: Duration, batch: Int) async throws -> Int {
        try await database.write { [self] db in
            let pending = try db.query("""
                SELECT id, view_key, tenant_id, invoice_id, link_id, source, ip, user_agent, viewed_at FROM views
                WHERE processed = 0 ORDER BY viewed_at, id LIMIT ?
                """, batch) { row in
                (id: row.int64(0), at: row.int64(8),
                 record: ViewRecord(key: row.string(1), tenantID: row.int64(2), invoiceID: row.int64(3), linkID: row.optionalInt64(4),
                                    source: ViewSource(rawValue: row.string(5)) ?? .link, ip: row.string(6), userAgent: row.optionalString(7),
                                    viewedAt: Date(unixMilliseconds: row.int64(8))))
            }
            for (id, at, record) in pending {
                let (invoice, link, ip) = (record.invoiceID, record.linkID, record.ip)
                let recent = try db.queryOne("""
                    SELECT 1 FROM views WHERE counted = 1 AND invoice_id = ? AND link_id IS NOT DISTINCT FROM ? AND ip = ? AND viewed_at > ? AND viewed_at <= ?
                    """, invoice, link, ip, at - window.milliseconds, at) { _ in true } ?? false
                try db.execute("UPDATE views SET processed = 1, counted = ? WHERE id = ?", !recent, id)
                guard !recent else { continue }
                let isNewAddress = try Self.remember(ip, of: invoice, at: at, db)
                try db.execute("""
                    INSERT INTO view_stats (invoice_id, view_count, first_viewed_at, last_viewed_at, unique_ips) VALUES (?1, 1, ?2, ?2, ?3)
                    ON CONFLICT (invoice_id) DO UPDATE SET view_count = view_stats.view_count + 1,
                        first_viewed_at = coalesce(view_stats.first_viewed_at, excluded.first_viewed_at),
                        last_viewed_at = CASE WHEN view_stats.last_viewed_at > excluded.last_viewed_at THEN view_stats.last_viewed_at
                            ELSE excluded.last_viewed_at END,
                        unique_ips = view_stats.unique_ips + excluded.unique_ips
                    """, invoice, at, isNewAddress ? 1 : 0)
                try recordViewEvent(db, record)
            }
            return pending.count
        }
    }

    /// `invoice.viewed` for a counted view: each open the stats count, never a refresh.
    private func recordViewEvent(_ db: any SQLConnection, _ view: ViewRecord) throws {
        guard let (number, customerID) = try db.queryOne("SELECT number, customer_id FROM invoices WHERE id = ? AND tenant_id = ?",
                                                         view.invoiceID, view.tenantID, map: { ($0.string(0), $0.int64(1)) }) else { return }
        try recordEvent(db, tenantID: view.tenantID, customerID: customerID, type: .invoiceViewed,
                        data: ViewRepresentation(countedView: view, invoiceNumber: number))
    }

    /// Adds `ip` to the invoice's addresses, keeping the time of its latest counted view (what
    /// pruning compares with the retention); true when the invoice had not seen it.
    private static func remember(_ ip: String, of invoice: Int64, at: Int64, _ db: any SQLConnection) throws -> Bool {
        try db.execute("INSERT INTO view_addresses (invoice_id, ip, last_seen) VALUES (?, ?, ?) ON CONFLICT DO NOTHING", invoice, ip, at)
        guard db.changes == 0 else { return true }
        try db.execute("UPDATE view_addresses SET last_seen = ?3 WHERE invoice_id = ?1 AND ip = ?2 AND last_seen < ?3", invoice, ip, at)
        return false
    }

    @discardableResult
    public func pruneViews(retention: ViewRetention, batch: Int) async throws -> ViewPruning {
        let now = clock.now().unixMilliseconds
        let rawBefore = now - retention.raw.milliseconds
        let addressesBefore = now - retention.addresses.milliseconds
        var done = ViewPruning()
        done.deleted = try await inBatches(batch, """
            DELETE FROM views WHERE id IN (
                SELECT id FROM views WHERE processed = 1 AND viewed_at < ? ORDER BY viewed_at LIMIT ?)
            """, rawBefore)
        done.anonymised = try await inBatches(batch, """
            UPDATE views SET ip = '' WHERE id IN (
                SELECT id FROM views WHERE processed = 1 AND ip != '' AND viewed_at < ? ORDER BY viewed_at LIMIT ?)
            """, addressesBefore)
        // An address no raw view holds any more (deleted or blanked) is forgotten: it counts as
        // new when it comes back, as it did when the raw views were the only record.
        _ = try await inBatches(batch, """
            DELETE FROM view_addresses WHERE (invoice_id, ip) IN (SELECT invoice_id, ip FROM view_addresses WHERE last_seen < ? LIMIT ?)
            """, max(rawBefore, addressesBefore))
        return done
    }

    /// Runs `sql` (a cutoff and a batch size as its arguments) in transactions of `batch` rows
    /// until it changes fewer; how many rows it changed in all.
    private func inBatches(_ batch: Int, _ sql: String, _ before: Int64) async throws -> Int {
        var total = 0
        while true {
            let changed = try await database.write { db -> Int in
                try db.execute(sql, before, batch)
                return db.changes
            }
            total += changed
            if changed < batch { return total }
        }
    }

    public func viewStats(tenantID: Int64, invoiceID: Int64) async throws -> ViewStats {
        try await database.read { db in
            try db.queryOne("""
                SELECT s.view_count, s.first_viewed_at, s.last_viewed_at, s.unique_ips FROM view_stats s
                JOIN invoices i ON i.id = s.invoice_id WHERE i.tenant_id = ? AND s.invoice_id = ?
                """, tenantID, invoiceID) {
                ViewStats(count: $0.int(0), firstViewedAt: $0.optionalDate(1), lastViewedAt: $0.optionalDate(2), uniqueIPs: $0.int(3))
            } ?? ViewStats()
        }
    }

    public func views(tenantID: Int64, invoiceID: Int64, limit: Int) async throws -> [(record: ViewRecord, counted: Bool)] {
        try await database.read { db in
            try db.query("""
                SELECT view_key, link_id, source, ip, user_agent, viewed_at, counted FROM views
                WHERE tenant_id = ? AND invoice_id = ? ORDER BY viewed_at DESC, id DESC LIMIT ?
                """, tenantID, invoiceID, limit) {
                (ViewRecord(key: $0.string(0), tenantID: tenantID, invoiceID: invoiceID, linkID: $0.optionalInt64(1),
                            source: ViewSource(rawValue: $0.string(2)) ?? .link, ip: $0.string(3), userAgent: $0.optionalString(4),
                            viewedAt: $0.date(5)), $0.bool(6))
            }
        }
    }
}
