import BillportCore
import Foundation
import Billing
import BillingFixtures
import BillingStore
import Relational
import SQLite
import TestSupport
import Testing

/// `views.aggregate` on a fixed history: what a tenant reads in `GET /api/invoices/{id}` must
/// stay what it was before aggregation became incremental.
@Suite struct ViewAggregationTests {
    static let minute: TimeInterval = 60
    static let day: TimeInterval = 86_400
    static let window = Duration.seconds(1800)

    /// A deterministic stream of numbers, so the history is the same on every run.
    struct Dice {
        var state: UInt64
        mutating func roll(_ sides: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(sides))
        }
    }

    /// Three invoices' opens over 60 days before the clock's start: three links (one of them no
    /// link at all), five addresses, each open followed now and then by a repeat a few minutes
    /// later (some inside the 30-minute window, some outside), stored in shuffled order.
    static func history(tenantID: Int64, invoices: [Int64], start: Date) -> [ViewRecord] {
        var dice = Dice(state: 14)
        let links: [Int64?] = [nil, 1, 2]
        var views: [ViewRecord] = []
        for n in 0..<240 {
            let invoice = invoices[dice.roll(invoices.count)]
            let link = links[dice.roll(links.count)]
            let ip = "10.0.0.\(dice.roll(5))"
            var at = start.addingTimeInterval(-Double(dice.roll(60)) * day + Double(dice.roll(600)) * minute)
            let repeats = dice.roll(4)
            for r in 0...repeats {
                views.append(ViewRecord(key: "v\(n)-\(r)", tenantID: tenantID, invoiceID: invoice, linkID: link, source: .link,
                                        ip: ip, userAgent: nil, viewedAt: at))
                at = at.addingTimeInterval(Double(1 + dice.roll(50)) * minute)
            }
        }
        for i in views.indices.reversed() { views.swapAt(i, dice.roll(i + 1)) }
        return views
    }

    /// Each invoice's stats as numbers: count, unique addresses, first and last open (ms).
    static func numbers(_ stats: ViewStats) -> [Int64] {
        [Int64(stats.count), Int64(stats.uniqueIPs), stats.firstViewedAt?.unixMilliseconds ?? -1, stats.lastViewedAt?.unixMilliseconds ?? -1]
    }

    @Test func incrementalAggregationGivesTheStatsOfTheFullRecount() async throws {
        let clock = ManualClock()
        let temp = try BillingTestDatabase(clock: clock)
        let stores = temp.stores
        let fixture = try await BillingFixture(stores: stores)
        var invoices = [fixture.invoice.id]
        for number in ["A-2", "A-3"] {
            let request = try JSONDecoder().decode(CreateInvoiceRequest.self, from: Data("""
                {"customerId": \(fixture.customer.id), "number": "\(number)", "currency": "EUR", "issueDate": "2026-11-01",
                 "dueDate": "2026-12-01", "lines": [{"description": "x", "quantity": 1, "unitPrice": 100}]}
                """.utf8))
            invoices.append(try await stores.invoices.createInvoice(tenantID: fixture.tenant.id, draft: try InvoiceDraft.validate(request)).id)
        }
        let views = Self.history(tenantID: fixture.tenant.id, invoices: invoices, start: clock.now())
        let retention = ViewRetention(raw: .seconds(Int64(45 * Self.day)), addresses: .seconds(Int64(15 * Self.day)))
        let thirds = [0, views.count / 3, 2 * views.count / 3, views.count]

        // First third in small batches; then pruning, the second third (many older than the
        // retained addresses: a returning address counts again once its address was blanked),
        // ten days later pruning again and the last third.
        try await stores.views.insertViews(Array(views[thirds[0]..<thirds[1]]))
        while try await stores.views.aggregateViews(window: Self.window, batch: 7) > 0 {}
        try await stores.views.pruneViews(retention: retention)
        try await stores.views.insertViews(Array(views[thirds[1]..<thirds[2]]))
        try await stores.views.aggregateViews(window: Self.window, batch: 5000)
        clock.advance(by: .seconds(Int64(10 * Self.day)))
        try await stores.views.pruneViews(retention: retention)
        try await stores.views.insertViews(Array(views[thirds[2]..<thirds[3]]))
        while try await stores.views.aggregateViews(window: Self.window, batch: 13) > 0 {}

        var found: [[Int64]] = []
        for invoice in invoices {
            found.append(Self.numbers(try await stores.views.viewStats(tenantID: fixture.tenant.id, invoiceID: invoice)))
        }
        // Recorded from the aggregation that looked addresses up among the raw views (before the
        // per-invoice address set), on this same history.
        #expect(found == [
            [175, 7, 1_790_265_780_000, 1_795_374_840_000],
            [181, 7, 1_790_268_120_000, 1_795_370_400_000],
            [164, 8, 1_790_244_600_000, 1_795_373_760_000],
        ], "\(found)")
    }

    func view(_ key: String, _ fixture: BillingFixture, ip: String, at: Date) -> ViewRecord {
        ViewRecord(key: key, tenantID: fixture.tenant.id, invoiceID: fixture.invoice.id, linkID: 1, source: .link, ip: ip, userAgent: nil, viewedAt: at)
    }

    func uniqueIPs(_ stores: BillingStores, _ fixture: BillingFixture) async throws -> Int {
        try await stores.views.viewStats(tenantID: fixture.tenant.id, invoiceID: fixture.invoice.id).uniqueIPs
    }

    @Test func anAddressIsForgottenWithItsRawViewsAndCountsAgainWhenItReturns() async throws {
        let clock = ManualClock()
        let temp = try BillingTestDatabase(clock: clock)
        let stores = temp.stores
        let fixture = try await BillingFixture(stores: stores)
        let start = clock.now()
        try await stores.views.insertViews([view("a", fixture, ip: "10.0.0.1", at: start), view("b", fixture, ip: "10.0.0.2", at: start)])
        try await stores.views.aggregateViews(window: Self.window)
        // 10.0.0.2 comes back on day 20, 10.0.0.1 does not: on day 31 only the first is past 30 days.
        clock.advance(by: .seconds(Int64(20 * Self.day)))
        try await stores.views.insertViews([view("c", fixture, ip: "10.0.0.2", at: clock.now())])
        try await stores.views.aggregateViews(window: Self.window)
        #expect(try await uniqueIPs(stores, fixture) == 2)
        clock.advance(by: .seconds(Int64(11 * Self.day)))
        try await stores.views.pruneViews(retention: ViewRetention())

        let kept = try await temp.database.read { db in try db.query("SELECT ip FROM view_addresses ORDER BY ip") { $0.string(0) } }
        #expect(kept == ["10.0.0.2"], "an address outlived the raw views that held it")
        try await stores.views.insertViews([view("d", fixture, ip: "10.0.0.1", at: clock.now()), view("e", fixture, ip: "10.0.0.2", at: clock.now())])
        try await stores.views.aggregateViews(window: Self.window)
        #expect(try await uniqueIPs(stores, fixture) == 3)
    }

    @Test func theMigrationRemembersTheAddressesOfViewsCountedBeforeIt() async throws {
        let earlier = BillingSchema.migrations.filter { $0.id != "portal.013_view_aggregation" }
        #expect(earlier.count == BillingSchema.migrations.count - 1)
        let clock = ManualClock()
        let temp = try TemporaryDatabase(migrations: earlier)
        let stores = BillingStores.sqlite(database: temp.database, clock: clock)
        let fixture = try await BillingFixture(stores: stores)
        try await temp.database.write { db in
            for (n, ip) in ["10.0.0.1", "10.0.0.1", "10.0.0.2", ""].enumerated() {
                try db.execute("""
                    INSERT INTO views (view_key, tenant_id, invoice_id, link_id, source, ip, viewed_at, processed, counted)
                    VALUES (?, ?, ?, 1, 'link', ?, ?, 1, 1)
                    """, "old\(n)", fixture.tenant.id, fixture.invoice.id, ip, clock.now().unixMilliseconds - Int64(n) * 3_600_000)
            }
            try db.execute("INSERT INTO view_stats (invoice_id, view_count, unique_ips) VALUES (?, 4, 3)", fixture.invoice.id)
        }
        _ = try Migrator.migrate(temp.database, migrations: BillingSchema.migrations)

        try await stores.views.insertViews([view("known", fixture, ip: "10.0.0.2", at: clock.now()), view("new", fixture, ip: "10.0.0.3", at: clock.now())])
        try await stores.views.aggregateViews(window: .seconds(1))
        let stats = try await stores.views.viewStats(tenantID: fixture.tenant.id, invoiceID: fixture.invoice.id)
        #expect(stats.count == 6)
        #expect(stats.uniqueIPs == 4)
    }
}
