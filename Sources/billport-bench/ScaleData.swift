import Billing
import BillingStore
import BillportCore
import Foundation
import Queue
import Scheduler
import Relational
import SQLite

/// A database built for the `scale` group, and what the measurements need from it.
struct ScaleDataset {
    /// The data directory `billport serve` gets; the database is `billport.sqlite` in it.
    let dataDirectory: String
    let database: Database
    let stores: BillingStores
    let tenantID: Int64
    let invoiceCount: Int
    let portalToken: String
    /// A partly paid invoice that holds the raw views and is read through the tenant API.
    let readInvoiceID: Int64
    /// The share link of that invoice (new views come through it).
    let readLinkID: Int64
    /// Another invoice whose counted views all fall in the last 20 minutes, and its share link.
    let burstInvoiceID: Int64
    let burstLinkID: Int64
    /// The statement the portal must show for the data as built.
    let expectedStatement: [CustomerBalance]
    /// Building everything, views aggregated included.
    let buildSeconds: Double
    /// Of which aggregating the backlog of raw views.
    let backlogMilliseconds: Double
}

/// Builds a `ScaleDataset`: tenant, customer, portal token, links and raw views through the
/// stores; the invoice history (`ScaleShape`) with its lines, checkouts, payments and credit
/// notes as plain SQL inserts, 5,000 invoices per transaction, because a million store calls
/// would take many minutes. The inserts write what the stores write; anything the stores
/// maintain beyond these rows must be written here too, or the portal check of `ScaleBench`
/// (its balances against `expectedStatement`) fails.
struct ScaleData {
    let dataDirectory: String
    let invoices: Int
    let views: Int

    static let tenantSlug = "scale"
    static let batch = 5_000
    /// `views.dedupeWindow` by default.
    static let dedupeWindow: Duration = .seconds(1800)

    func build() async throws -> ScaleDataset {
        let started = ContinuousClock.now
        try? FileManager.default.removeItem(atPath: dataDirectory)
        try FileManager.default.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true)
        let database = try Database(path: dataDirectory + "/billport.sqlite")
        try Migrator.migrate(database, migrations: QueueSchema.migrations + SchedulerSchema.migrations + BillingSchema.migrations)
        let stores = BillingStores.sqlite(database: database)
        let tenant = try await stores.tenants.createTenant(slug: Self.tenantSlug, name: "Scale Wholesale GmbH")
        _ = try await stores.payments.updatePaymentSettings(tenantID: tenant.id, PaymentSettings(plan: .pro, secretKey: "sk_test_scalebench0000"))
        let customer = try await stores.customers.createCustomer(tenantID: tenant.id, name: "Northwind Retail AG",
                                                                 email: "payables@northwind.example", preferences: .init())
        let shape = ScaleShape(count: invoices, today: CalendarDate(utc: Date()).daysSinceEpoch)

        var open: [Invoice] = []
        var readInvoiceID: Int64?
        for first in stride(from: 0, to: invoices, by: Self.batch) {
            let chunk = try (first..<min(first + Self.batch, invoices)).map(shape.invoice)
            let ids = try await database.write { db in
                try chunk.map { try Self.insert($0, tenantID: tenant.id, customerID: customer.id, db) }
            }
            for (invoice, id) in zip(chunk, ids) where invoice.status == .issued {
                open.append(shape.stored(invoice, id: id, customerID: customer.id))
                if invoice.paid > 0 { readInvoiceID = id }
            }
        }
        guard let readInvoiceID else { throw BenchFailure("scale: the shape of \(invoices) invoices holds no partly paid one") }
        let expected = try CustomerBalance.of(open, today: CalendarDate(utc: Date()))
        guard let euro = expected.first(where: { $0.currency == "EUR" }),
              [euro.current, euro.days1to30, euro.days31to60, euro.days61to90, euro.over90].allSatisfy({ $0 > 0 }) else {
            throw BenchFailure("scale: the shape of \(invoices) invoices leaves an aging bucket empty: \(expected)")
        }

        guard let portalToken = try await stores.links.createPortalToken(tenantID: tenant.id, customerID: customer.id).token else {
            throw BenchFailure("scale: createPortalToken returned no token")
        }
        let linkIDs = try await links(stores, database, tenantID: tenant.id, invoiceID: readInvoiceID)
        let backlog = try await countViews(stores, tenantID: tenant.id, invoiceID: readInvoiceID, linkIDs: linkIDs)
        let burstInvoiceID = open[open.count / 2].id == readInvoiceID ? open[0].id : open[open.count / 2].id
        _ = try await stores.links.share(tenantID: tenant.id, invoiceID: burstInvoiceID, regenerate: false)
        let burstLinkID = try await writeBurst(database, tenantID: tenant.id, invoiceID: burstInvoiceID)
        try database.withWriterConnection { try $0.execute("PRAGMA wal_checkpoint(TRUNCATE)") }
        return ScaleDataset(dataDirectory: dataDirectory, database: database, stores: stores, tenantID: tenant.id,
                            invoiceCount: invoices, portalToken: portalToken, readInvoiceID: readInvoiceID, readLinkID: linkIDs[0],
                            burstInvoiceID: burstInvoiceID, burstLinkID: burstLinkID,
                            expectedStatement: expected, buildSeconds: seconds(since: started), backlogMilliseconds: backlog)
    }

    /// Inserts one invoice with its lines and, as the ledger leaves them, its completed checkout
    /// and payment and its credit note; returns its id.
    private static func insert(_ invoice: ScaleShape.GeneratedInvoice, tenantID: Int64, customerID: Int64, _ db: any SQLConnection) throws -> Int64 {
        let issuedAt = ScaleShape.instant(invoice.issueDay)
        let id = try db.insert("""
            INSERT INTO invoices (tenant_id, customer_id, public_id, type, number, status, delivery_status, currency, issue_date, due_date,
                allow_partial_payments, subtotal, tax_total, total, amount_paid, amount_credited, created_at, issued_at, cancelled_at)
            VALUES (?, ?, ?, 'AR', ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?)
            """, tenantID, customerID, publicID(), invoice.number, invoice.status.rawValue,
            invoice.issued ? DeliveryStatus.sent.rawValue : DeliveryStatus.notSent.rawValue, invoice.currency.code,
            ScaleShape.date(invoice.issueDay).description, ScaleShape.date(invoice.dueDay).description,
            invoice.totals.subtotal, invoice.totals.taxTotal, invoice.totals.total, invoice.paid, invoice.credited,
            issuedAt, invoice.issued ? issuedAt : nil, invoice.status == .cancelled ? issuedAt.addingTimeInterval(86_400) : nil)
        for (position, line) in invoice.lines.enumerated() {
            try db.execute("""
                INSERT INTO invoice_lines (invoice_id, position, description, quantity, unit_price, tax_rate, net) VALUES (?, ?, ?, ?, ?, ?, ?)
                """, id, position, line.description, line.quantity.tenThousandths, line.unitPrice, line.taxRate.hundredthsOfPercent, line.net)
        }
        if invoice.credited > 0 {
            try db.execute("""
                INSERT INTO credit_notes (tenant_id, invoice_id, number, amount, reason, created_at) VALUES (?, ?, ?, ?, 'Price adjustment', ?)
                """, tenantID, id, String(format: "CN-%06d", invoice.index), invoice.credited, issuedAt.addingTimeInterval(3_600))
        }
        if invoice.paid > 0 {
            let paidAt = ScaleShape.instant(invoice.dueDay - 3)
            let session = "cs_scale_\(invoice.index)"
            try db.execute("""
                INSERT INTO checkout_sessions (tenant_id, invoice_id, session_id, amount, currency, status, created_at, expires_at)
                VALUES (?, ?, ?, ?, ?, 'complete', ?, ?)
                """, tenantID, id, session, invoice.paid, invoice.currency.code, paidAt, paidAt.addingTimeInterval(86_400))
            try db.execute("""
                INSERT INTO payments (tenant_id, invoice_id, provider, session_id, payment_intent, amount, currency, state, created_at, updated_at)
                VALUES (?, ?, 'stripe', ?, ?, ?, ?, 'succeeded', ?, ?)
                """, tenantID, id, session, "pi_scale_\(invoice.index)", invoice.paid, invoice.currency.code, paidAt, paidAt)
        }
        return id
    }

    /// `inv_` and 16 random base64url characters, as the invoice store makes them.
    private static func publicID() -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        return "inv_" + String((0..<16).map { _ in alphabet.randomElement()! })
    }

    /// The invoice's share link and two email links, ids in that order.
    private func links(_ stores: BillingStores, _ database: Database, tenantID: Int64, invoiceID: Int64) async throws -> [Int64] {
        _ = try await stores.links.share(tenantID: tenantID, invoiceID: invoiceID, regenerate: false)
        _ = try await stores.links.createEmailLink(tenantID: tenantID, invoiceID: invoiceID, recipient: "payables@northwind.example")
        _ = try await stores.links.createEmailLink(tenantID: tenantID, invoiceID: invoiceID, recipient: "controller@northwind.example")
        let ids = try await database.read { db in
            try db.query("SELECT id FROM links WHERE invoice_id = ? ORDER BY id", invoiceID) { $0.int64(0) }
        }
        guard ids.count == 3 else { throw BenchFailure("scale: expected 3 links of invoice \(invoiceID), found \(ids.count)") }
        return ids
    }

    /// Stores `views` opens of the invoice over the last 60 days (through its three links, from
    /// up to 5,000 addresses, never one link and address twice within the dedupe window) and
    /// aggregates them all, as `views.aggregate` does; the milliseconds the aggregation took.
    private func countViews(_ stores: BillingStores, tenantID: Int64, invoiceID: Int64, linkIDs: [Int64]) async throws -> Double {
        let now = Date()
        let step = 60.0 * 86_400 / Double(views)
        let addresses = min(views, 5_000)
        for first in stride(from: 0, to: views, by: Self.batch) {
            let records = (first..<min(first + Self.batch, views)).map { index in
                let address = index % addresses
                return ViewRecord(key: "scale-\(index)", tenantID: tenantID, invoiceID: invoiceID, linkID: linkIDs[index % 3],
                                  source: index % 3 == 0 ? .link : .email, ip: "10.\(address / 65_536).\(address / 256 % 256).\(address % 256)",
                                  userAgent: "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 Safari/605.1.15",
                                  viewedAt: now.addingTimeInterval(-60 * 86_400 + Double(index) * step))
            }
            try await stores.views.insertViews(records)
        }
        let started = ContinuousClock.now
        while try await stores.views.aggregateViews(window: Self.dedupeWindow) > 0 {}
        let milliseconds = seconds(since: started) * 1000
        let counted = try await stores.views.viewStats(tenantID: tenantID, invoiceID: invoiceID).count
        guard counted == views else { throw BenchFailure("scale: \(counted) of \(views) views counted; the shape meant all to count") }
        return milliseconds
    }

    /// `views` opens of the invoice through its share link in the last 20 minutes, each from an
    /// address of its own (a link gone viral), written as already counted with their stats: the
    /// case where a new view's dedupe check reads the whole window. Written with SQL because
    /// aggregating such a burst one view at a time rereads the window for each view.
    private func writeBurst(_ database: Database, tenantID: Int64, invoiceID: Int64) async throws -> Int64 {
        let now = Date()
        let step = 1_200.0 / Double(views)
        return try await database.write { [views] db in
            guard let linkID = try db.queryOne("SELECT id FROM links WHERE invoice_id = ? AND kind = 'share'", invoiceID, map: { $0.int64(0) }) else {
                throw BenchFailure("scale: invoice \(invoiceID) has no share link")
            }
            for index in 0..<views {
                try db.execute("""
                    INSERT INTO views (view_key, tenant_id, invoice_id, link_id, source, ip, user_agent, viewed_at, processed, counted)
                    VALUES (?, ?, ?, ?, 'link', ?, 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X)', ?, 1, 1)
                    """, "scale-burst-\(index)", tenantID, invoiceID, linkID, "172.\(16 + index / 65_536).\(index / 256 % 256).\(index % 256)",
                    now.addingTimeInterval(-1_200 + Double(index) * step))
            }
            try db.execute("""
                INSERT INTO view_stats (invoice_id, view_count, first_viewed_at, last_viewed_at, unique_ips) VALUES (?, ?, ?, ?, ?)
                """, invoiceID, views, now.addingTimeInterval(-1_200), now.addingTimeInterval(-1_200 + Double(views - 1) * step), views)
            return linkID
        }
    }
}
