@testable import API
import BillportCore
import Foundation
import TestSupport
import Testing

@Suite struct RateLimitTests {
    @Test func aBucketRefillsAtItsRate() {
        let clock = ManualClock()
        let limiter = RateLimiter(perMinute: 60, clock: clock)
        for _ in 0..<60 { #expect(limiter.take("a") == nil) }
        #expect(limiter.take("a") == .milliseconds(1000))
        #expect(limiter.take("b") == nil) // other keys have their own bucket
        clock.advance(by: .milliseconds(500))
        #expect(limiter.take("a") == .milliseconds(500))
        clock.advance(by: .milliseconds(500))
        #expect(limiter.take("a") == nil)
        #expect(RateLimiter(perMinute: 0, clock: clock).take("a") == nil)
    }

    @Test func publicRoutesAnswer429WithRetryAfterPerAddressAndPerToken() async throws {
        let h = try APIHarness(rateLimits: (perAddress: 1000, perToken: 3))
        let acme = try await h.tenant("acme")
        let id = try await h.invoice(acme)
        let token = try #require(try await h.send("POST", "/api/invoices/\(id)/share", token: acme.token).json["shareToken"] as? String)
        for _ in 0..<3 { #expect(try await h.send("GET", "/api/invoices/view/\(token)").status == 200) }
        let limited = try await h.send("GET", "/invoice/\(token)")
        #expect(limited.status == 429)
        #expect(limited.errorCode == "rate_limited")
        #expect(Int(limited.header("Retry-After") ?? "") ?? 0 >= 1)
        // The tenant API is not limited by the public buckets.
        #expect(try await h.send("GET", "/api/invoices/\(id)", token: acme.token).status == 200)
        await h.stop()

        let perAddress = try APIHarness(rateLimits: (perAddress: 2, perToken: 1000))
        for _ in 0..<2 { #expect(try await perAddress.send("GET", "/invoice/\(String(repeating: "a", count: 43))").status == 404) }
        #expect(try await perAddress.send("GET", "/invoice/\(String(repeating: "b", count: 43))").status == 429)
        await perAddress.stop()
    }

    @Test func moreKeysThanTheTableHoldsLeaveItBoundedInBytes() {
        let limiter = RateLimiter(perMinute: 60, maxEntries: 10_000, clock: ManualClock())
        #expect(RateLimiter.bytesPerEntry == 32)
        for index in 0..<25_000 { _ = limiter.take("client-\(index)") }
        #expect(limiter.entryCount <= 10_000)
        #expect(limiter.tableBytes <= 10_000 * RateLimiter.bytesPerEntry)
        #expect(limiter.entryCount >= 5_000) // evicts a quarter at a time, not everything
    }

    @Test func aHundredThousandDistinctJunkTokensGetNoKeyAtAll() {
        var keyed = 0
        for index in 0..<100_000 where RateLimitKey.token("junk.\(index)-" + String(repeating: "z", count: index % 97)) != nil { keyed += 1 }
        #expect(keyed == 0)
    }

    @Test func evictionDropsTheFullestBucketsFirst() {
        let clock = ManualClock()
        let limiter = RateLimiter(perMinute: 10, maxEntries: 4, clock: clock)
        for _ in 0..<10 { _ = limiter.take("busy") } // drained
        for key in ["b", "c", "d"] { _ = limiter.take(key) }
        _ = limiter.take("e") // the table is full: the fullest go, the drained one stays
        #expect(limiter.entryCount <= 4)
        #expect(limiter.take("busy") != nil)
    }

    @Test func onlyWellFormedTokensGetAKey() {
        let token = String(repeating: "A", count: 43)
        #expect(RateLimitKey.token(token) != nil)
        #expect(RateLimitKey.token("inv_" + String(repeating: "x", count: 16)) != nil)
        #expect(RateLimitKey.token(String(repeating: "A", count: 8000)) == nil)
        #expect(RateLimitKey.token(String(repeating: "A", count: 42)) == nil)
        #expect(RateLimitKey.token(String(repeating: "%", count: 43)) == nil)
        #expect(RateLimitKey.token("inv_short") == nil)
        #expect(RateLimitKey.token(token) == RateLimitKey.token(token))
        #expect(RateLimitKey.token(token) != RateLimitKey.token(String(repeating: "B", count: 43)))
    }

    @Test func junkTokensGetNoBucketAndWellFormedOnesABoundedTable() async throws {
        let h = try APIHarness(rateLimits: (perAddress: 0, perToken: 1000)) { $0.rateLimitMaxKeys = 40 }
        var bodies = Set<Data>()
        for index in 0..<150 {
            let junk = String(repeating: "x", count: 44 + index * 13)
            let reply = try await h.send("GET", "/invoice/\(junk)")
            #expect(reply.status == 404)
            bodies.insert(reply.body)
        }
        #expect(bodies.count == 1) // the identical bad-link page
        #expect(h.api.perToken.entryCount == 0)
        for index in 0..<120 {
            let wellFormed = String(format: "%043d", index)
            #expect(try await h.send("GET", "/api/invoices/view/\(wellFormed)").status == 404)
        }
        #expect(h.api.perToken.entryCount <= 40)
        #expect(h.api.perToken.tableBytes <= 40 * RateLimiter.bytesPerEntry)
        await h.stop()
    }
}
