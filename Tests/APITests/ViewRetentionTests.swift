import BillportCore
import Foundation
import Billing
import BillingJobs
import BillingFixtures
import BillingStore
import Queue
import Relational
import SQLite
import TestSupport
import Testing
import Worker

/// Raw opens and their addresses are pruned; the stats a tenant sees stay.
@Suite struct ViewRetentionTests {
    static let day: TimeInterval = 86_400

    /// Runs one `views.prune` job through a worker pool, as the schedule does.
    func prune(_ h: APIHarness, retention: ViewRetention = .init()) async throws {
        var handlers = JobHandlers()
        handlers.registerViewRetention(views: h.stores.views, retention: retention)
        let pool = WorkerPool(store: h.jobs, handlers: handlers, configuration: .init(queues: ["default": 1]), logger: .disabled)
        let shutdown = ShutdownSignal()
        let workers = Task { try await pool.run(until: shutdown) }
        let id = try await h.jobs.enqueue(NewJob(kind: "views.prune", payloadJSON: "{}")).id
        try await eventually("views.prune to finish") { try await h.jobs.job(id: id)?.state == .done }
        shutdown.trigger()
        try await workers.value
    }

    func rawCount(_ h: APIHarness, _ sql: String, _ arguments: any SQLValueConvertible...) async throws -> Int {
        let bound = arguments.map(\.sqlValue)
        return try await h.temp.database.read { db in try db.queryOne(sql, arguments: bound) { $0.int(0) } ?? -1 }
    }

    @Test func pruningOldViewsAndAddressesLeavesTheInvoiceStatsUnchanged() async throws {
        let h = try APIHarness()
        let acme = try await h.tenant("acme")
        let id = try await h.invoice(acme)
        let tenantID = try #require(try await h.stores.tenants.tenant(slug: "acme")).id
        let now = Date()
        func view(_ key: String, ip: String, daysAgo: Double) -> ViewRecord {
            ViewRecord(key: key, tenantID: tenantID, invoiceID: id, linkID: 1, source: .link, ip: ip, userAgent: "Mozilla/5.0",
                       viewedAt: now.addingTimeInterval(-daysAgo * Self.day))
        }
        try await h.stores.views.insertViews([
            view("old-1", ip: "10.0.0.1", daysAgo: 100), view("old-2", ip: "10.0.0.2", daysAgo: 95),
            view("mid-1", ip: "10.0.0.3", daysAgo: 40), view("mid-2", ip: "10.0.0.1", daysAgo: 35),
            view("new-1", ip: "10.0.0.4", daysAgo: 0.1),
        ])
        try await h.stores.views.aggregateViews(window: .seconds(1800))
        // Arrived late (a replayed journal) and not yet folded into the stats: it must survive.
        try await h.stores.views.insertViews([view("late", ip: "10.0.0.9", daysAgo: 120)])

        let before = try #require(try await h.send("GET", "/api/invoices/\(id)", token: acme.token).json["views"] as? [String: Any])
        #expect(before["count"] as? Int == 5)
        #expect(before["uniqueIPs"] as? Int == 4)

        try await prune(h)

        let after = try #require(try await h.send("GET", "/api/invoices/\(id)", token: acme.token).json["views"] as? [String: Any])
        for key in ["count", "uniqueIPs"] { #expect(after[key] as? Int == before[key] as? Int, "\(key) changed") }
        for key in ["firstViewedAt", "lastViewedAt"] { #expect(after[key] as? String == before[key] as? String, "\(key) changed") }
        #expect(after["viewedRecently"] as? Bool == before["viewedRecently"] as? Bool)
        let log = try #require(try await h.send("GET", "/api/invoices/\(id)/views", token: acme.token).json["data"] as? [[String: Any]])
        #expect(log.map { $0["ip"] as? String } == ["10.0.0.4", "", "", "10.0.0.9"], "\(log)")
        #expect(try await rawCount(h, "SELECT count(*) FROM views WHERE view_key IN ('old-1', 'old-2')") == 0)
        #expect(try await rawCount(h, "SELECT count(*) FROM views WHERE processed = 1 AND ip != '' AND viewed_at < ?",
                                   now.addingTimeInterval(-30 * Self.day)) == 0)

        // The late view is counted afterwards and pruned on the next run; the stats grow by it alone.
        try await h.stores.views.aggregateViews(window: .seconds(1800))
        try await prune(h)
        let grown = try #require(try await h.send("GET", "/api/invoices/\(id)", token: acme.token).json["views"] as? [String: Any])
        #expect(grown["count"] as? Int == 6)
        #expect(grown["uniqueIPs"] as? Int == 5)
        #expect(try await rawCount(h, "SELECT count(*) FROM views") == 3)
        await h.stop()
    }

    @Test func batchesPruneEveryRowPastItsRetention() async throws {
        let clock = ManualClock()
        let temp = try TemporaryDatabase(migrations: BillingSchema.migrations)
        let stores = BillingStores.sqlite(database: temp.database, clock: clock)
        let fixture = try await BillingFixture(stores: stores)
        let views = (0..<25).map { n in
            ViewRecord(key: "v\(n)", tenantID: fixture.tenant.id, invoiceID: fixture.invoice.id, linkID: nil, source: .link,
                       ip: "10.0.0.\(n)", userAgent: nil, viewedAt: clock.now().addingTimeInterval(Double(n) * Self.day))
        }
        try await stores.views.insertViews(views)
        try await stores.views.aggregateViews(window: .seconds(1800))
        clock.advance(by: .seconds(Int64(24 * Self.day + 1)))
        // Everything is older than 10 days except the newest; only the first 10 rows are past 15 days.
        let pruned = try await stores.views.pruneViews(retention: ViewRetention(raw: .seconds(Int64(15 * Self.day)), addresses: .seconds(Int64(Self.day))), batch: 4)
        #expect(pruned == ViewPruning(deleted: 10, anonymised: 14))
        let stats = try await stores.views.viewStats(tenantID: fixture.tenant.id, invoiceID: fixture.invoice.id)
        #expect(stats.count == 25)
        #expect(stats.uniqueIPs == 25)
    }
}
