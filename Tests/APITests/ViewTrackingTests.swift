@testable import API
import BillportCore
import Foundation
import HTTPServer
import Billing
import BillingFixtures
import BillingStore
import TestSupport
import Testing

@Suite struct ViewTrackingTests {
    func harness() throws -> (APIHarness, ViewRecorder, TemporaryDirectory) {
        let dir = TemporaryDirectory()
        var recorder: ViewRecorder?
        let h = try APIHarness(views: { stores in
            let made = ViewRecorder(store: stores.views, directory: dir.path, logger: .disabled)
            recorder = made
            return made
        })
        return (h, recorder!, dir)
    }

    @Test func opensAreLoggedBySourceAndRefreshesCountOnce() async throws {
        let (h, views, _) = try harness()
        let acme = try await h.tenant("acme")
        let id = try await h.invoice(acme)
        let token = try #require(try await h.send("POST", "/api/invoices/\(id)/share", token: acme.token).json["shareToken"] as? String)
        for _ in 0..<3 { #expect(try await h.send("GET", "/invoice/\(token)", headers: ["User-Agent": "Phone/1.0"]).status == 200) }
        #expect(try await h.send("GET", "/api/invoices/view/\(token)").status == 200)
        #expect(try await h.send("GET", "/invoice/\(token)/pdf").status == 200)
        // The tenant's own preview never counts.
        #expect(try await h.send("GET", "/invoice/\(token)?preview=1", token: acme.token).status == 200)
        await views.flush()
        try await h.stores.views.aggregateViews(window: .seconds(1800))

        let log = try await h.send("GET", "/api/invoices/\(id)/views", token: acme.token)
        let entries = try #require(log.json["data"] as? [[String: Any]])
        #expect(entries.count == 5)
        #expect(Set(entries.compactMap { $0["source"] as? String }) == ["link", "api"])
        #expect(entries.filter { $0["counted"] as? Bool == true }.count == 1) // one address, one link, one window
        #expect(entries.contains { $0["userAgent"] as? String == "Phone/1.0" })
        let invoice = try await h.send("GET", "/api/invoices/\(id)", token: acme.token)
        let stats = try #require(invoice.json["views"] as? [String: Any])
        #expect(stats["count"] as? Int == 1)
        #expect(stats["uniqueIPs"] as? Int == 1)
        #expect(stats["viewedRecently"] as? Bool == true)
        #expect(stats["firstViewedAt"] as? String != nil)
        await h.stop()
    }

    @Test func theFirstViewIsNeverOverwrittenAndLaterOpensCountAfterTheWindow() async throws {
        let clock = ManualClock()
        let temp = try TemporaryDatabase(migrations: BillingSchema.migrations)
        let stores = BillingStores.sqlite(database: temp.database, clock: clock)
        let fixture = try await BillingFixture(stores: stores)
        let (tenant, invoice) = (fixture.tenant, fixture.invoice)
        func view(_ key: String, ip: String, minutes: Double) -> ViewRecord {
            ViewRecord(key: key, tenantID: tenant.id, invoiceID: invoice.id, linkID: 1, source: .link, ip: ip, userAgent: nil,
                       viewedAt: clock.now().addingTimeInterval(minutes * 60))
        }
        try await stores.views.insertViews([view("a", ip: "10.0.0.1", minutes: 0), view("b", ip: "10.0.0.1", minutes: 10), view("c", ip: "10.0.0.2", minutes: 11)])
        try await stores.views.aggregateViews(window: .seconds(1800))
        let first = try await stores.views.viewStats(tenantID: tenant.id, invoiceID: invoice.id)
        #expect(first.count == 2)
        #expect(first.uniqueIPs == 2)
        // Replayed (duplicate key) and later views: the duplicate is ignored, 45 minutes later counts again.
        try await stores.views.insertViews([view("a", ip: "10.0.0.1", minutes: 0), view("d", ip: "10.0.0.1", minutes: 45)])
        try await stores.views.aggregateViews(window: .seconds(1800))
        let second = try await stores.views.viewStats(tenantID: tenant.id, invoiceID: invoice.id)
        #expect(second.count == 3)
        #expect(second.firstViewedAt == first.firstViewedAt)
        #expect(second.lastViewedAt == clock.now().addingTimeInterval(45 * 60))
    }

    @Test func aJournalLeftByACrashIsReplayedOnce() async throws {
        let dir = TemporaryDirectory()
        let temp = try TemporaryDatabase(migrations: BillingSchema.migrations)
        let stores = BillingStores.sqlite(database: temp.database)
        let fixture = try await BillingFixture(stores: stores)
        let (tenant, invoice) = (fixture.tenant, fixture.invoice)
        // A process that died (pid 999999 does not exist) left two views and half a line.
        let lines = (1...2).map { index in
            ViewRecord(key: "k\(index)", tenantID: tenant.id, invoiceID: invoice.id, linkID: nil, source: .email, ip: "192.0.2.\(index)",
                       userAgent: "Mail\tClient\n2", viewedAt: Date()).journalLine
        }.map { String(decoding: $0, as: UTF8.self) }.joined() + "k3\t\(tenant.id)\t\(invoice.id)\t-\temail\t192.0"
        try Data(lines.utf8).write(to: URL(fileURLWithPath: dir.file("views-999999.journal")))
        let recorder = ViewRecorder(store: stores.views, directory: dir.path, logger: .disabled)
        let shutdown = ShutdownSignal()
        shutdown.trigger()
        try await recorder.run(until: shutdown)
        try await recorder.run(until: shutdown)  // a second start finds nothing to replay
        let replayed = try await stores.views.views(tenantID: tenant.id, invoiceID: invoice.id, limit: 10)
        #expect(replayed.count == 2)
        #expect(replayed.allSatisfy { $0.record.userAgent == "Mail Client 2" && $0.record.source == .email })
        #expect(!FileManager.default.fileExists(atPath: dir.file("views-999999.journal")))
    }

    @Test func forwardedAddressesAreBelievedOnlyFromTrustedProxies() {
        var request = HTTPRequest(method: .get, path: "/", headers: ["X-Forwarded-For": "198.51.100.7, 10.0.0.9"], remoteAddress: "10.0.0.9")
        #expect(ViewTracking.clientAddress(request, trustedProxies: []) == "10.0.0.9")
        #expect(ViewTracking.clientAddress(request, trustedProxies: ["10.0.0.9"]) == "198.51.100.7")
        request.remoteAddress = "203.0.113.5"
        #expect(ViewTracking.clientAddress(request, trustedProxies: ["10.0.0.9"]) == "203.0.113.5")
    }
}
