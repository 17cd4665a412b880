@testable import API
import Billing
import BillingStore
import BillportCore
import Foundation
import Relational
import SQLite
import TestSupport
import Testing

@Suite struct PublicAnswerCacheTests {
    struct Answer: LinkAnswer, Equatable {
        let text: String
        let linkExpiresAt: Date?
    }

    @Test func aWriteInThisProcessEndsEveryEntryAtOnce() async throws {
        let temp = try TemporaryDatabase()
        let cache = PublicAnswerCache<Answer>(database: BillingStores.sqlite(database: temp.database).database, clock: ManualClock(), maxAge: .seconds(3600))
        let made = Counter()
        func lookup() async throws -> Answer? {
            try await cache.value("t") { made.increment(); return Answer(text: "v\(made.value)", linkExpiresAt: nil) }
        }
        #expect(try await lookup()?.text == "v1")
        #expect(try await lookup()?.text == "v1")
        try await temp.database.write { db in try db.execute("CREATE TABLE touched (x INTEGER)") }
        #expect(try await lookup()?.text == "v2")
    }

    @Test func entriesAgeOutForWritesOfOtherProcesses() async throws {
        let temp = try TemporaryDatabase()
        let cache = PublicAnswerCache<Answer>(database: BillingStores.sqlite(database: temp.database).database, clock: ManualClock(), maxAge: .milliseconds(50))
        let made = Counter()
        _ = try await cache.value("t") { made.increment(); return Answer(text: "a", linkExpiresAt: nil) }
        try await eventually(timeout: .seconds(5)) {
            _ = try await cache.value("t") { made.increment(); return Answer(text: "a", linkExpiresAt: nil) }
            return made.value == 2
        }
    }

    @Test func aLinkStopsAtItsExpiryEvenWhenCached() async throws {
        let temp = try TemporaryDatabase()
        let clock = ManualClock()
        let cache = PublicAnswerCache<Answer>(database: BillingStores.sqlite(database: temp.database).database, clock: clock, maxAge: .seconds(3600))
        let expiry = clock.now().addingTimeInterval(60)
        #expect(try await cache.value("t") { Answer(text: "a", linkExpiresAt: expiry) } != nil)
        clock.advance(by: .seconds(61))
        #expect(try await cache.value("t") { Answer(text: "fresh", linkExpiresAt: expiry) } == nil)
    }

    @Test func unknownTokensAreNotCached() async throws {
        let temp = try TemporaryDatabase()
        let cache = PublicAnswerCache<Answer>(database: BillingStores.sqlite(database: temp.database).database, clock: ManualClock(), maxAge: .seconds(3600))
        #expect(try await cache.value("t") { nil } == nil)
        #expect(try await cache.value("t") { Answer(text: "now", linkExpiresAt: nil) }?.text == "now")
    }

    /// A write ends every entry; the requests in flight at that moment must not each read and
    /// render the answer again (on a busy link that pushed the page's p99 from 8 to 19 ms).
    @Test func requestsThatMissTogetherShareOneLookUp() async throws {
        let temp = try TemporaryDatabase()
        let cache = PublicAnswerCache<Answer>(database: BillingStores.sqlite(database: temp.database).database, clock: ManualClock(), maxAge: .seconds(3600))
        let made = Counter()
        let release = AsyncStream<Void>.makeStream()
        let first = Task {
            try await cache.value("t") {
                made.increment()
                for await _ in release.stream { break }
                return Answer(text: "shared", linkExpiresAt: nil)
            }
        }
        try await eventually { made.value == 1 }
        let others = (0..<20).map { _ in
            Task { try await cache.value("t") { made.increment(); return Answer(text: "own", linkExpiresAt: nil) } }
        }
        try await eventually("20 requests waiting on the first one's look-up") { cache.joinedLookUps == 20 }
        release.continuation.yield()
        #expect(try await first.value?.text == "shared")
        for other in others { #expect(try await other.value?.text == "shared") }
        #expect(made.value == 1)
    }

    @Test func aRequestAfterAWriteDoesNotJoinALookUpStartedBeforeIt() async throws {
        let temp = try TemporaryDatabase()
        let cache = PublicAnswerCache<Answer>(database: BillingStores.sqlite(database: temp.database).database, clock: ManualClock(), maxAge: .seconds(3600))
        let made = Counter()
        let release = AsyncStream<Void>.makeStream()
        let before = Task {
            try await cache.value("t") {
                made.increment()
                for await _ in release.stream { break }
                return Answer(text: "before", linkExpiresAt: nil)
            }
        }
        try await eventually { made.value == 1 }
        try await temp.database.write { db in try db.execute("CREATE TABLE touched (x INTEGER)") }
        let after = try await cache.value("t") { made.increment(); return Answer(text: "after", linkExpiresAt: nil) }
        #expect(after?.text == "after")
        release.continuation.yield()
        #expect(try await before.value?.text == "before")
        #expect(made.value == 2)
    }

    @Test func aRevokedLinkStopsAtOnceAndAPaymentShowsAtOnce() async throws {
        let h = try APIHarness()
        let acme = try await h.tenant("acme")
        let id = try await h.invoice(acme)
        let token = try #require(try await h.send("POST", "/api/invoices/\(id)/share", token: acme.token).json["shareToken"] as? String)
        #expect(try await h.send("GET", "/invoice/\(token)").text.contains("1,356.60 EUR"))
        #expect(try await h.send("GET", "/api/invoices/view/\(token)").json["amountDue"] as? Int == 135_660)
        _ = try await h.send("POST", "/api/invoices/\(id)/credit-notes", token: acme.token, json: ["number": "CN-1", "amount": 35_660])
        #expect(try await h.send("GET", "/invoice/\(token)").text.contains("1,000.00 EUR"))
        #expect(try await h.send("GET", "/api/invoices/view/\(token)").json["amountDue"] as? Int == 100_000)
        _ = try await h.send("DELETE", "/api/invoices/\(id)/share", token: acme.token)
        #expect(try await h.send("GET", "/invoice/\(token)").status == 404)
        #expect(try await h.send("GET", "/api/invoices/view/\(token)").status == 404)
        await h.stop()
    }
}

/// A thread-safe count for closures the cache may or may not call.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    var value: Int { lock.withLock { count } }
    func increment() { lock.withLock { count += 1 } }
}
