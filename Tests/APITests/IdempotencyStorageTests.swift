@testable import API
import Foundation
import HTTPServer
import Testing
import TestSupport

/// What an `Idempotency-Key` keeps: a key whose first request never answered (the process died
/// mid-request) blocks retries with 409 for five minutes, then the retry runs; a 5xx is not
/// kept; a kept answer is sealed, so a share token in it is never readable in the database.
@Suite struct IdempotencyStorageTests {
    @Test func anAbandonedKeyIsInUseForFiveMinutesThenFree() async throws {
        let clock = ManualClock()
        let h = try APIHarness(clock: clock)
        _ = try await h.tenant("acme")
        let tenantID = try #require(try await h.stores.tenants.tenant(slug: "acme")).id
        let body = #"{"email":"max@example.com","name":"Max"}"#
        let fingerprint = IdempotencyLayer.fingerprint(HTTPRequest(method: .post, path: "/api/customers", body: Array(body.utf8)))
        // The first request claimed the key and never answered.
        #expect(try await h.stores.idempotency.claim(tenantID: tenantID, scope: "POST /api/customers", key: "crashed",
                                                     fingerprint: fingerprint, now: clock.now()) == .started)

        let blocked = try await h.send("POST", "/api/customers", token: h.token("acme"), rawBody: body, headers: ["Idempotency-Key": "crashed"])
        #expect(blocked.status == 409 && blocked.errorCode == "idempotency_key_in_use")
        clock.advance(by: .seconds(301))
        let retried = try await h.send("POST", "/api/customers", token: h.token("acme"), rawBody: body, headers: ["Idempotency-Key": "crashed"])
        #expect(retried.status == 201 && retried.header("Idempotent-Replayed") == nil)
        let replayed = try await h.send("POST", "/api/customers", token: h.token("acme"), rawBody: body, headers: ["Idempotency-Key": "crashed"])
        #expect(replayed.status == 201 && replayed.body == retried.body && replayed.header("Idempotent-Replayed") == "true")
    }

    @Test func aServerErrorIsNotKeptSoTheRetryRuns() async throws {
        let h = try APIHarness(backend: .sqlite)  // an SQLite trigger makes the server fail
        let acme = try await h.tenant("acme")
        try h.temp.sqlite!.withWriterConnection { db in
            try db.execute("CREATE TRIGGER broken BEFORE INSERT ON customers BEGIN SELECT RAISE(ABORT, 'the disk is full'); END")
        }
        let body = ["name": "Max", "email": "max@example.com"]
        let failed = try await h.send("POST", "/api/customers", token: acme.token, json: body, headers: ["Idempotency-Key": "k"])
        #expect(failed.status == 500 && failed.errorCode == "internal_error")
        try h.temp.sqlite!.withWriterConnection { db in try db.execute("DROP TRIGGER broken") }
        let retried = try await h.send("POST", "/api/customers", token: acme.token, json: body, headers: ["Idempotency-Key": "k"])
        #expect(retried.status == 201 && retried.header("Idempotent-Replayed") == nil)
    }

    @Test func aReplayedShareGivesItsTokenAgainWhichTheDatabaseHoldsOnlySealed() async throws {
        let h = try APIHarness()
        let acme = try await h.tenant("acme")
        let id = try await h.invoice(acme)
        let key = ["Idempotency-Key": "share-\(id)"]
        let shared = try await h.send("POST", "/api/invoices/\(id)/share", token: acme.token, headers: key)
        let token = try #require(shared.json["shareToken"] as? String)
        let again = try await h.send("POST", "/api/invoices/\(id)/share", token: acme.token, headers: key)
        #expect(again.status == 201 && again.json["shareToken"] as? String == token && again.header("Idempotent-Replayed") == "true")
        let stored = try h.temp.database.readBlocking { db in
            try db.query("SELECT body FROM idempotency_keys") { $0.blob(0) }
        }
        #expect(stored.count == 1 && !stored.contains { String(decoding: $0, as: UTF8.self).contains(token) })
    }

    @Test func anAnswerSealedUnderAReplacedSecretIsForgottenAndTheRequestRuns() async throws {
        let h = try APIHarness()
        _ = try await h.tenant("acme")
        let tenantID = try #require(try await h.stores.tenants.tenant(slug: "acme")).id
        let body = #"{"email":"max@example.com","name":"Max"}"#
        let fingerprint = IdempotencyLayer.fingerprint(HTTPRequest(method: .post, path: "/api/customers", body: Array(body.utf8)))
        #expect(try await h.stores.idempotency.claim(tenantID: tenantID, scope: "POST /api/customers", key: "old",
                                                     fingerprint: fingerprint, now: h.clock.now()) == .started)
        try await h.stores.idempotency.store(tenantID: tenantID, scope: "POST /api/customers", key: "old",
                                             answer: .init(status: 201, headers: [], body: Array(repeating: 7, count: 40)))
        let reply = try await h.send("POST", "/api/customers", token: h.token("acme"), rawBody: body, headers: ["Idempotency-Key": "old"])
        #expect(reply.status == 201 && reply.header("Idempotent-Replayed") == nil && reply.json["name"] as? String == "Max")
        let again = try await h.send("POST", "/api/customers", token: h.token("acme"), rawBody: body, headers: ["Idempotency-Key": "old"])
        #expect(again.header("Idempotent-Replayed") == "true" && again.body == reply.body)
    }
}
