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
}
