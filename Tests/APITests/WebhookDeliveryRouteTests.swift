import API
import Billing
import BillportCore
import Foundation
import Testing
import TestSupport

/// `/api/webhook-endpoints/{id}/deliveries`, `…/retry` and `…/test`: what a tenant sees of the
/// deliveries to its endpoints, and how it replays them.
@Suite struct WebhookDeliveryRouteTests {
    func harness() throws -> APIHarness { try APIHarness(hostResolver: WebhookEndpointTests.resolver) }

    func endpoint(_ h: APIHarness, _ tenant: APIHarness.Tenant, json: [String: Any] = [:]) async throws -> Int {
        let created = try await h.send("POST", "/api/webhook-endpoints", token: tenant.token,
                                       json: ["url": "https://erp.example.com/hooks"].merging(json) { $1 })
        return try #require(created.json["id"] as? Int, "\(created.text)")
    }

    @Test func aTestSendsAPingThatTheDeliveryListShowsNewestFirstPageByPage() async throws {
        let h = try harness()
        let acme = try await h.tenant("acme")
        let id = try await endpoint(h, acme)
        var eventIDs: [String] = []
        for _ in 0..<3 {
            let ping = try await h.send("POST", "/api/webhook-endpoints/\(id)/test", token: acme.token)
            #expect(ping.status == 202)
            #expect(ping.json["eventType"] as? String == "ping")
            #expect(ping.json["state"] as? String == "pending")
            #expect(ping.json["attempts"] as? Int == 0)
            let eventID = try #require(ping.json["eventId"] as? String)
            #expect(eventID.hasPrefix("msg_"))
            eventIDs.append(eventID)
        }
        let first = try await h.send("GET", "/api/webhook-endpoints/\(id)/deliveries?limit=2", token: acme.token)
        #expect(first.status == 200)
        let page = try #require(first.json["data"] as? [[String: Any]])
        #expect(page.map { $0["eventId"] as? String } == [eventIDs[2], eventIDs[1]])
        let next = try #require(first.json["nextBefore"] as? Int)
        let second = try await h.send("GET", "/api/webhook-endpoints/\(id)/deliveries?limit=2&before=\(next)", token: acme.token)
        #expect((second.json["data"] as? [[String: Any]])?.map { $0["eventId"] as? String } == [eventIDs[0]])
        #expect(second.json["nextBefore"] == nil, "no page after the last")
        let other = try await endpoint(h, acme)
        let untouched = try await h.send("GET", "/api/webhook-endpoints/\(other)/deliveries", token: acme.token)
        #expect((untouched.json["data"] as? [[String: Any]])?.isEmpty == true, "a test goes to its endpoint only")

        let unknown = try await h.send("GET", "/api/webhook-endpoints/\(id)/deliveries?state=failed", token: acme.token)
        #expect(unknown.status == 422)
        #expect(unknown.text.contains("unknown_field") && unknown.text.contains("state"))
        #expect(try await h.send("GET", "/api/webhook-endpoints/\(id)/deliveries?limit=0", token: acme.token).status == 422)
    }

    @Test func aRetryMakesADeliveryDueAgainUnderTheSameEventID() async throws {
        let h = try harness()
        let acme = try await h.tenant("acme")
        let id = try await endpoint(h, acme)
        let ping = try await h.send("POST", "/api/webhook-endpoints/\(id)/test", token: acme.token)
        let deliveryID = try #require(ping.json["id"] as? Int)
        let retried = try await h.send("POST", "/api/webhook-endpoints/\(id)/deliveries/\(deliveryID)/retry", token: acme.token)
        #expect(retried.status == 202)
        #expect(retried.json["eventId"] as? String == ping.json["eventId"] as? String)
        #expect(retried.json["state"] as? String == "pending")
        #expect(try await h.send("POST", "/api/webhook-endpoints/\(id)/deliveries/999999/retry", token: acme.token).status == 404)
    }

    @Test func onlySettingsManageReplaysAndOtherTenantsSeeNothing() async throws {
        let h = try harness()
        let acme = try await h.tenant("acme")
        let globex = try await h.tenant("globex")
        let id = try await endpoint(h, acme)
        let ping = try await h.send("POST", "/api/webhook-endpoints/\(id)/test", token: acme.token)
        let deliveryID = try #require(ping.json["id"] as? Int)
        let reader = h.token("acme", perms: ["invoices:write", "invoices:manage"])
        #expect(try await h.send("GET", "/api/webhook-endpoints/\(id)/deliveries", token: reader).status == 200)
        #expect(try await h.send("POST", "/api/webhook-endpoints/\(id)/test", token: reader).status == 403)
        #expect(try await h.send("POST", "/api/webhook-endpoints/\(id)/deliveries/\(deliveryID)/retry", token: reader).status == 403)
        #expect(try await h.send("GET", "/api/webhook-endpoints/\(id)/deliveries", token: globex.token).status == 404)
        #expect(try await h.send("POST", "/api/webhook-endpoints/\(id)/test", token: globex.token).status == 404)
        #expect(try await h.send("POST", "/api/webhook-endpoints/\(id)/deliveries/\(deliveryID)/retry", token: globex.token).status == 404)
        let theirs = try await endpoint(h, globex)
        #expect(try await h.send("POST", "/api/webhook-endpoints/\(theirs)/deliveries/\(deliveryID)/retry", token: globex.token).status == 404)
    }

    @Test func aDisabledEndpointTakesNoTestAndNoReplay() async throws {
        let h = try harness()
        let acme = try await h.tenant("acme")
        let id = try await endpoint(h, acme)
        let ping = try await h.send("POST", "/api/webhook-endpoints/\(id)/test", token: acme.token)
        let deliveryID = try #require(ping.json["id"] as? Int)
        _ = try await h.send("PATCH", "/api/webhook-endpoints/\(id)", token: acme.token, json: ["enabled": false])
        let test = try await h.send("POST", "/api/webhook-endpoints/\(id)/test", token: acme.token)
        #expect(test.status == 409)
        #expect(test.text.contains("endpoint_disabled"))
        #expect(try await h.send("POST", "/api/webhook-endpoints/\(id)/deliveries/\(deliveryID)/retry", token: acme.token).status == 409)
    }

    @Test func theAlertAddressIsCheckedShownAndCleared() async throws {
        let h = try harness()
        let acme = try await h.tenant("acme")
        let bad = try await h.send("POST", "/api/webhook-endpoints", token: acme.token,
                                   json: ["url": "https://erp.example.com/hooks", "alertEmail": "ops at acme"])
        #expect(bad.status == 422)
        #expect(bad.text.contains("alertEmail"))
        let id = try await endpoint(h, acme, json: ["alertEmail": "ops@acme.example"])
        let shown = try await h.send("GET", "/api/webhook-endpoints/\(id)", token: acme.token)
        #expect(shown.json["alertEmail"] as? String == "ops@acme.example")
        let cleared = try await h.send("PATCH", "/api/webhook-endpoints/\(id)", token: acme.token, json: ["alertEmail": NSNull()])
        #expect(cleared.json["alertEmail"] is NSNull || cleared.json["alertEmail"] == nil)
        #expect(cleared.json["url"] as? String == "https://erp.example.com/hooks")
    }
}
