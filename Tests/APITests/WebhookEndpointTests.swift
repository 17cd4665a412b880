import API
import Billing
import BillportCore
import Foundation
import Relational
import SQLite
import Testing
import TestSupport
import Tokens

/// `/api/webhook-endpoints` through the real HTTP server: the secret shown once, partial
/// updates, rotation with an overlap during which both secrets sign, and the destination rule.
@Suite struct WebhookEndpointTests {
    /// Names the tests register, pointed at public addresses (no DNS in tests).
    static let resolver = StaticResolver(table: ["erp.example.com": "93.184.216.34", "shop.example.com": "2606:2800:220:1::1",
                                                 "sneaky.example.com": "192.168.0.10"])

    struct StaticResolver: HostResolver {
        let table: [String: String]
        func addresses(of host: String) async throws -> [IPAddress] {
            if let literal = IPAddress(host) { return [literal] }
            if host == "localhost" { return [IPAddress("127.0.0.1")!] }
            guard let address = table[host].flatMap(IPAddress.init) else { throw HostResolutionError(host: host, reason: "unknown") }
            return [address]
        }
    }

    func harness(clock: any WallClock = SystemClock(), logger: Logger = .disabled,
                 configure: (inout APIConfiguration) -> Void = { _ in }) throws -> APIHarness {
        try APIHarness(transport: .live, clock: clock, hostResolver: Self.resolver, logger: logger, configure: configure)
    }

    @Test func anEndpointIsCreatedListedChangedAndDeletedAndItsSecretShownOnce() async throws {
        let logs = InMemoryLogHandler()
        let h = try harness(logger: logs.logger())
        let acme = try await h.tenant("acme")
        let created = try await h.send("POST", "/api/webhook-endpoints", token: acme.token,
                                       json: ["url": "https://erp.example.com/billport", "eventTypes": ["invoice.paid", "invoice.viewed"],
                                              "description": "ERP"])
        #expect(created.status == 201)
        let secret = try #require(created.json["secret"] as? String)
        #expect(secret.hasPrefix("whsec_"))
        #expect(WebhookSecret(secret)?.key.count == 32)
        let id = try #require(created.json["id"] as? Int)
        #expect(created.json["eventTypes"] as? [String] == ["invoice.paid", "invoice.viewed"])
        #expect(created.json["enabled"] as? Bool == true)

        let list = try await h.send("GET", "/api/webhook-endpoints", token: acme.token)
        #expect(list.status == 200)
        #expect((list.json["data"] as? [[String: Any]])?.map { $0["url"] as? String } == ["https://erp.example.com/billport"])
        let one = try await h.send("GET", "/api/webhook-endpoints/\(id)", token: acme.token)
        #expect(one.json["description"] as? String == "ERP")
        for reply in [list, one] { #expect(!reply.text.contains(secret) && !reply.text.contains("secret")) }

        // PATCH changes what it is sent and nothing else.
        let disabled = try await h.send("PATCH", "/api/webhook-endpoints/\(id)", token: acme.token, json: ["enabled": false])
        #expect(disabled.status == 200)
        #expect(disabled.json["enabled"] as? Bool == false)
        #expect(disabled.json["url"] as? String == "https://erp.example.com/billport")
        #expect(disabled.json["eventTypes"] as? [String] == ["invoice.paid", "invoice.viewed"])
        #expect(disabled.json["description"] as? String == "ERP")
        let everything = try await h.send("PATCH", "/api/webhook-endpoints/\(id)", token: acme.token,
                                          json: ["eventTypes": ["*"], "url": "https://shop.example.com/in"])
        #expect(everything.json["eventTypes"] as? [String] == ["*"])
        #expect(everything.json["url"] as? String == "https://shop.example.com/in")
        #expect(everything.json["enabled"] as? Bool == false)
        #expect(everything.json["secret"] == nil)

        #expect(try await h.send("DELETE", "/api/webhook-endpoints/\(id)", token: acme.token).status == 204)
        #expect(try await h.send("GET", "/api/webhook-endpoints/\(id)", token: acme.token).status == 404)
        #expect(try await h.send("DELETE", "/api/webhook-endpoints/\(id)", token: acme.token).status == 404)
        #expect(!logs.text.contains(secret))
        await h.stop()
    }

    @Test func onlySettingsManageChangesEndpointsAndOtherTenantsSeeNone() async throws {
        let h = try harness()
        let acme = try await h.tenant("acme")
        let globex = try await h.tenant("globex")
        let created = try await h.send("POST", "/api/webhook-endpoints", token: acme.token, json: ["url": "https://erp.example.com/"])
        let id = try #require(created.json["id"] as? Int)
        let reader = h.token("acme", perms: ["invoices:write", "invoices:manage"])
        #expect(try await h.send("GET", "/api/webhook-endpoints", token: reader).status == 200)
        #expect(try await h.send("POST", "/api/webhook-endpoints", token: reader, json: ["url": "https://erp.example.com/"]).status == 403)
        #expect(try await h.send("PATCH", "/api/webhook-endpoints/\(id)", token: reader, json: ["enabled": false]).status == 403)
        #expect(try await h.send("POST", "/api/webhook-endpoints/\(id)/rotate-secret", token: reader).status == 403)
        #expect(try await h.send("DELETE", "/api/webhook-endpoints/\(id)", token: reader).status == 403)
        #expect(try await h.send("GET", "/api/webhook-endpoints").status == 401)

        #expect(try await h.send("GET", "/api/webhook-endpoints/\(id)", token: globex.token).status == 404)
        #expect(try await h.send("PATCH", "/api/webhook-endpoints/\(id)", token: globex.token, json: ["enabled": false]).status == 404)
        #expect(try await h.send("POST", "/api/webhook-endpoints/\(id)/rotate-secret", token: globex.token).status == 404)
        #expect(try await h.send("DELETE", "/api/webhook-endpoints/\(id)", token: globex.token).status == 404)
        #expect((try await h.send("GET", "/api/webhook-endpoints", token: globex.token).json["data"] as? [Any])?.isEmpty == true)
        #expect(try await h.send("GET", "/api/webhook-endpoints/\(id)", token: acme.token).json["enabled"] as? Bool == true)
        await h.stop()
    }

    @Test func badFieldsAndRefusedDestinationsAre422NamingTheField() async throws {
        let h = try harness()
        let acme = try await h.tenant("acme")
        func post(_ body: [String: Any]) async throws -> APIHarness.Reply {
            try await h.send("POST", "/api/webhook-endpoints", token: acme.token, json: body)
        }
        let cases: [([String: Any], String)] = [
            ([:], "url"),
            (["url": "https://erp.example.com/", "eventTypes": ["invoice.paid", "invoice.opened"]], "eventTypes[1]"),
            (["url": "https://erp.example.com/", "eventTypes": []], "eventTypes"),
            (["url": "https://erp.example.com/", "secret": "whsec_mine"], "secret"),
            (["url": "https://erp.example.com/", "enabled": "yes"], "enabled"),
            (["url": "http://erp.example.com/"], "url"),
            (["url": "https://localhost/"], "url"),
            (["url": "https://127.0.0.1:8443/"], "url"),
            (["url": "https://sneaky.example.com/"], "url"),
            (["url": "https://[::1]/"], "url"),
            (["url": "https://erp.example.com@127.0.0.1/"], "url"),
            (["url": "https://169.254.169.254/latest/meta-data/"], "url"),
        ]
        for (body, field) in cases {
            let reply = try await post(body)
            #expect(reply.status == 422, "\(body): \(reply.text)")
            #expect(reply.errorField == field, "\(body): \(reply.text)")
        }
        let sneaky = try await post(["url": "https://sneaky.example.com/"])
        #expect(sneaky.text.contains("192.168.0.10"))
        let created = try #require(try await post(["url": "https://erp.example.com/"]).json["id"] as? Int)
        let moved = try await h.send("PATCH", "/api/webhook-endpoints/\(created)", token: acme.token, json: ["url": "https://10.0.0.1/"])
        #expect(moved.status == 422)
        #expect(moved.errorField == "url")
        #expect(try await h.send("GET", "/api/webhook-endpoints/\(created)", token: acme.token).json["url"] as? String == "https://erp.example.com/")
        #expect((try await h.send("GET", "/api/webhook-endpoints", token: acme.token).json["data"] as? [Any])?.count == 1)
        await h.stop()
    }

    @Test func theOperatorMayAllowHTTPAndPrivateDestinations() async throws {
        let h = try harness { configuration in
            configuration.webhookDestinations = WebhookDestinationPolicy(allowHTTP: true, allowPrivateDestinations: true)
        }
        let acme = try await h.tenant("acme")
        for url in ["http://127.0.0.1:9000/hook", "https://localhost/", "http://[::1]:9000/", "https://sneaky.example.com/"] {
            let reply = try await h.send("POST", "/api/webhook-endpoints", token: acme.token, json: ["url": url])
            #expect(reply.status == 201, "\(url): \(reply.text)")
        }
        let only = try harness { $0.webhookDestinations = WebhookDestinationPolicy(allowHTTP: true) }
        let globex = try await only.tenant("globex")
        #expect(try await only.send("POST", "/api/webhook-endpoints", token: globex.token, json: ["url": "http://erp.example.com/"]).status == 201)
        #expect(try await only.send("POST", "/api/webhook-endpoints", token: globex.token, json: ["url": "http://127.0.0.1/"]).status == 422)
        await h.stop()
        await only.stop()
    }

    @Test func rotationSignsWithBothSecretsForTheOverlapThenWithTheNewOne() async throws {
        let clock = ManualClock()
        let h = try harness(clock: clock) { $0.webhookSecretOverlap = .seconds(3600) }
        let acme = try await h.tenant("acme")
        let tenantID = try await h.stores.tenants.tenant(slug: "acme")?.id ?? 0
        let created = try await h.send("POST", "/api/webhook-endpoints", token: acme.token, json: ["url": "https://erp.example.com/"])
        let id = try #require(created.json["id"] as? Int)
        let old = try #require(WebhookSecret(created.json["secret"] as? String ?? ""))
        #expect(try await h.stores.webhookEndpoints.signingSecrets(tenantID: tenantID, id: Int64(id)) == [old.text])

        clock.advance(by: .seconds(60))
        let rotated = try await h.send("POST", "/api/webhook-endpoints/\(id)/rotate-secret", token: acme.token)
        #expect(rotated.status == 200)
        let new = try #require(WebhookSecret(rotated.json["secret"] as? String ?? ""))
        #expect(new != old)
        #expect(rotated.json["previousSecretExpiresAt"] as? String == ISO8601.format(clock.now().addingTimeInterval(3600)))
        let during = try await h.stores.webhookEndpoints.signingSecrets(tenantID: tenantID, id: Int64(id)).compactMap(WebhookSecret.init)
        #expect(during == [new, old])
        let body = Array(#"{"type":"invoice.paid"}"#.utf8)
        let header = StandardWebhookSignature.sign(id: "msg_1", timestamp: 1_795_341_660, body: body, secrets: during)
        for secret in [old, new] {
            #expect(StandardWebhookSignature.verify(id: "msg_1", timestamp: 1_795_341_660, body: body, signatureHeader: header, secret: secret))
        }
        #expect(try await h.send("GET", "/api/webhook-endpoints/\(id)", token: acme.token).json["secret"] == nil)

        clock.advance(by: .seconds(3601))
        #expect(try await h.stores.webhookEndpoints.signingSecrets(tenantID: tenantID, id: Int64(id)) == [new.text])
        #expect(try await h.send("GET", "/api/webhook-endpoints/\(id)", token: acme.token).json["previousSecretExpiresAt"] == nil)
        await h.stop()
    }

    @Test func aTenantHasAtMostTwentyEndpointsAndTheQueriesUseTheTenantIndex() async throws {
        let h = try harness()
        let acme = try await h.tenant("acme")
        for _ in 0..<WebhookEndpointFields.maxEndpointsPerTenant {
            #expect(try await h.send("POST", "/api/webhook-endpoints", token: acme.token, json: ["url": "https://erp.example.com/"]).status == 201)
        }
        let over = try await h.send("POST", "/api/webhook-endpoints", token: acme.token, json: ["url": "https://erp.example.com/"])
        #expect(over.status == 409)
        #expect(over.errorCode == "too_many_endpoints")
        #expect(try await h.send("PATCH", "/api/webhook-endpoints/1", token: acme.token, json: ["description": "first"]).status == 200)
        #expect(try await h.send("POST", "/api/webhook-endpoints/1/rotate-secret", token: acme.token).status == 200)
        #expect(try await h.send("GET", "/api/webhook-endpoints/1", token: acme.token).status == 200)
        #expect(try await h.send("GET", "/api/webhook-endpoints", token: acme.token).status == 200)
        #expect(try await h.send("DELETE", "/api/webhook-endpoints/2", token: acme.token).status == 204)
        let tenantID = try await h.stores.tenants.tenant(slug: "acme")?.id ?? 0
        _ = try await h.stores.webhookEndpoints.signingSecrets(tenantID: tenantID, id: 1)

        if let sqlite = h.temp.sqlite {  // SQLite's query plans; the PostgreSQL pass runs the routes
            let statements = try sqlite.preparedStatements().filter { $0.contains("webhook_endpoints") && !$0.contains("CREATE") }
            #expect(statements.count >= 7)
            for sql in statements.sorted() {
                let problems = try QueryPlan.problems(of: sql, in: sqlite, growing: ["webhook_endpoints"])
                #expect(problems.isEmpty, "\(problems) in: \(sql)")
            }
        }
        await h.stop()
    }
}
