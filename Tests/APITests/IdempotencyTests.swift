import Foundation
import Testing
import TestSupport

/// `Idempotency-Key` on the tenant API's POSTs, through the real server.
@Suite struct IdempotencyTests {
    private func customerCount(_ h: APIHarness, _ token: String) async throws -> Int {
        (try await h.send("GET", "/api/customers", token: token).json["data"] as? [Any])?.count ?? -1
    }

    @Test func theSameKeyAndBodyGetTheFirstAnswerAgainAndAnotherBodyIs422() async throws {
        let h = try APIHarness(transport: .live)
        let acme = try await h.tenant("acme")
        let key = ["Idempotency-Key": "order-7f3a"]
        let body = ["name": "Max", "email": "max@example.com"]
        let first = try await h.send("POST", "/api/customers", token: acme.token, json: body, headers: key)
        #expect(first.status == 201 && first.header("Idempotent-Replayed") == nil)
        let again = try await h.send("POST", "/api/customers", token: acme.token, json: body, headers: key)
        #expect(again.status == 201 && again.body == first.body && again.header("Idempotent-Replayed") == "true", "\(again.status) \(again.text) \(first.text)")
        #expect(again.header("Content-Type") == first.header("Content-Type"))
        #expect(try await customerCount(h, acme.token) == 2)

        let other = try await h.send("POST", "/api/customers", token: acme.token, json: ["name": "Moritz", "email": "max@example.com"], headers: key)
        #expect(other.status == 422 && other.errorCode == "idempotency_key_reused" && other.errorField == "Idempotency-Key")
        #expect(try await customerCount(h, acme.token) == 2)

        // The key belongs to the route: the same key on another route is a new request…
        let invoice = try await h.send("POST", "/api/invoices", token: acme.token, json: h.invoiceJSON(customer: acme.customerID), headers: key)
        #expect(invoice.status == 201 && invoice.header("Idempotent-Replayed") == nil)
        let id = try #require(invoice.json["id"] as? Int)
        // …and within a route, to one object: issuing another invoice with it is a reuse.
        let second = try await h.send("POST", "/api/invoices", token: acme.token, json: h.invoiceJSON(customer: acme.customerID, number: "INV-2"))
        let issue = ["Idempotency-Key": "issue-1"]
        #expect(try await h.send("POST", "/api/invoices/\(id)/issue", token: acme.token, headers: issue).status == 200)
        let reused = try await h.send("POST", "/api/invoices/\(try #require(second.json["id"] as? Int))/issue", token: acme.token, headers: issue)
        #expect(reused.status == 422 && reused.errorCode == "idempotency_key_reused")

        // An answer of 4xx is kept too: the retry is told the same.
        let bad = ["Idempotency-Key": "bad-1"]
        let refused = try await h.send("POST", "/api/customers", token: acme.token, json: ["name": "X", "email": "nope"], headers: bad)
        let refusedAgain = try await h.send("POST", "/api/customers", token: acme.token, json: ["name": "X", "email": "nope"], headers: bad)
        #expect(refused.status == 422 && refusedAgain.status == 422 && refusedAgain.body == refused.body)
        #expect(refusedAgain.header("Idempotent-Replayed") == "true")
        await h.stop()
    }

    @Test func keysAreEachTenantsOwnBoundedInLengthAndExpireAfter24Hours() async throws {
        let clock = ManualClock()
        let h = try APIHarness(clock: clock)
        let acme = try await h.tenant("acme")
        let other = try await h.tenant("other")
        let key = ["Idempotency-Key": "same-key"]
        let body = ["name": "Max", "email": "max@example.com"]
        let mine = try await h.send("POST", "/api/customers", token: acme.token, json: body, headers: key)
        let theirs = try await h.send("POST", "/api/customers", token: other.token, json: body, headers: key)
        #expect(mine.status == 201 && theirs.status == 201 && theirs.header("Idempotent-Replayed") == nil && mine.body != theirs.body)

        clock.advance(by: .seconds(24 * 3600 - 60))
        #expect(try await h.send("POST", "/api/customers", token: h.token("acme"), json: body, headers: key).header("Idempotent-Replayed") == "true")
        clock.advance(by: .seconds(61))
        let fresh = try await h.send("POST", "/api/customers", token: h.token("acme"), json: body, headers: key)
        #expect(fresh.status == 201 && fresh.header("Idempotent-Replayed") == nil && fresh.body != mine.body)
        #expect(try await customerCount(h, h.token("acme")) == 3)

        // Expired keys are deleted as new ones arrive: storage follows the last 24 hours.
        let stored = try h.temp.database.readBlocking { db in
            try db.queryOne("SELECT count(*) FROM idempotency_keys") { $0.int(0) }
        }
        #expect(stored == 1)

        let long = try await h.send("POST", "/api/customers", token: h.token("acme"), json: body,
                                    headers: ["Idempotency-Key": String(repeating: "k", count: 256)])
        #expect(long.status == 422 && long.errorField == "Idempotency-Key")
        #expect(try await h.send("POST", "/api/customers", token: h.token("acme"), json: body,
                                 headers: ["Idempotency-Key": String(repeating: "k", count: 255)]).status == 201)
    }

    @Test func concurrentDuplicatesRunOnceAndTheOthersAreTold409OrTheAnswer() async throws {
        let h = try APIHarness(transport: .live)
        let acme = try await h.tenant("acme")
        let body = ["name": "Max", "email": "max@example.com"]
        let replies = try await withThrowingTaskGroup(of: APIHarness.Reply.self) { group in
            for _ in 0..<8 {
                group.addTask { try await h.send("POST", "/api/customers", token: acme.token, json: body, headers: ["Idempotency-Key": "burst"]) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        let created = replies.filter { $0.status == 201 }
        let running = replies.filter { $0.status == 409 }
        #expect(created.count + running.count == 8 && created.filter { $0.header("Idempotent-Replayed") == nil }.count == 1)
        #expect(running.allSatisfy { $0.errorCode == "idempotency_key_in_use" })
        #expect(Set(created.map(\.body)).count == 1)
        #expect(try await customerCount(h, acme.token) == 2)
        await h.stop()
    }
}
