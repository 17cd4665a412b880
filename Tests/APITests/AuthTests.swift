import Foundation
import Testing
import Tokens

/// 401 without a valid token, 403 without the permission, 404 for another tenant's objects —
/// for every tenant route.
@Suite struct AuthTests {
    /// Every tenant route, with the permission it needs and a body that would be valid.
    static func routes(invoice: Int64, customer: Int64) -> [(method: String, path: String, permission: String?)] {
        [
            ("POST", "/api/customers", "invoices:write"),
            ("GET", "/api/customers/\(customer)", nil),
            ("POST", "/api/invoices", "invoices:write"),
            ("GET", "/api/invoices", nil),
            ("GET", "/api/invoices/\(invoice)", nil),
            ("PUT", "/api/invoices/\(invoice)", "invoices:write"),
            ("PATCH", "/api/invoices/\(invoice)", "invoices:write"),
            ("POST", "/api/invoices/\(invoice)/issue", "invoices:write"),
            ("POST", "/api/invoices/\(invoice)/cancel", "invoices:write"),
            ("POST", "/api/invoices/\(invoice)/credit-notes", "invoices:write"),
            ("GET", "/api/invoices/\(invoice)/credit-notes", nil),
            ("PUT", "/api/invoices/\(invoice)/delivery-status", "invoices:write"),
            ("POST", "/api/invoices/\(invoice)/share", "invoices:manage"),
            ("DELETE", "/api/invoices/\(invoice)/share", "invoices:manage"),
            ("GET", "/api/settings/branding", nil),
            ("GET", "/api/settings/portal", nil),
            ("GET", "/api/portal-tokens", nil),
            ("PUT", "/api/settings/portal", "settings:manage"),
            ("PUT", "/api/settings/branding", "settings:manage"),
            ("PATCH", "/api/settings/portal", "settings:manage"),
            ("PATCH", "/api/settings/branding", "settings:manage"),
            ("PUT", "/api/settings/logo", "settings:manage"),
            ("DELETE", "/api/settings/logo", "settings:manage"),
            ("POST", "/api/customers/\(customer)/portal-token", "invoices:manage"),
            ("DELETE", "/api/customers/\(customer)/portal-token", "invoices:manage"),
        ]
    }

    @Test func everyTenantRouteRefusesMissingForgedExpiredAndUnknownTenantTokens() async throws {
        let h = try APIHarness()
        let acme = try await h.tenant("acme")
        let id = try await h.invoice(acme)
        let forged = JWTSigner(key: Array(repeating: 1, count: 32)).sign(APIClaims(tenant: "acme", perms: ["invoices:manage"], exp: Int64(Date().timeIntervalSince1970) + 600))
        let expired = h.token("acme", exp: Int64(Date().timeIntervalSince1970) - 3600)
        let ghost = h.token("ghost")
        for route in Self.routes(invoice: id, customer: acme.customerID) {
            for token in [nil, "garbage", forged, expired, ghost] {
                let reply = try await h.send(route.method, route.path, token: token)
                #expect(reply.status == 401, "\(route.method) \(route.path) with \(token?.prefix(10) ?? "no token")")
                #expect(reply.errorCode == "unauthorized")
            }
        }
        await h.stop()
    }

    @Test func routesNeedingAPermissionAnswer403WithoutIt() async throws {
        let h = try APIHarness()
        let acme = try await h.tenant("acme")
        let id = try await h.invoice(acme)
        let readOnly = h.token("acme", perms: [])
        for route in Self.routes(invoice: id, customer: acme.customerID) {
            let reply = try await h.send(route.method, route.path, token: readOnly, json: ["POST", "PUT", "PATCH"].contains(route.method) ? [String: Int]() : nil)
            if let permission = route.permission {
                #expect(reply.status == 403, "\(route.method) \(route.path) \(reply.text)")
                #expect(reply.json["error"].map { "\($0)" }?.contains(permission) == true)
            } else {
                #expect(reply.status == 200, "\(route.method) \(route.path)")
            }
        }
        await h.stop()
    }

    @Test func anotherTenantsObjectsAreNotFound() async throws {
        let h = try APIHarness()
        let acme = try await h.tenant("acme")
        let globex = try await h.tenant("globex")
        let id = try await h.invoice(acme)
        let bodies = ["/credit-notes": ["number": "CN-9", "amount": 1] as [String: Any], "/delivery-status": ["deliveryStatus": "sent"]]
        for route in Self.routes(invoice: id, customer: acme.customerID) where route.path.contains("/\(id)") || route.path.contains("/\(acme.customerID)") {
            let body = route.method == "GET" ? nil
                : route.path == "/api/invoices/\(id)" ? h.invoiceJSON(customer: globex.customerID)
                : bodies.first { route.path.hasSuffix($0.key) }?.value
            let reply = try await h.send(route.method, route.path, token: globex.token, json: body)
            #expect(reply.status == 404, "\(route.method) \(route.path)")
        }
        // Nor can globex bill acme's customer.
        let stolen = try await h.send("POST", "/api/invoices", token: globex.token, json: h.invoiceJSON(customer: acme.customerID))
        #expect(stolen.status == 422)
        #expect(stolen.errorField == "customerId")
        let list = try await h.send("GET", "/api/invoices", token: globex.token)
        #expect((list.json["data"] as? [Any])?.isEmpty == true)
        await h.stop()
    }

    @Test func unknownRoutesAndMethodsAreClear() async throws {
        let h = try APIHarness()
        #expect(try await h.send("GET", "/api/nothing").status == 404)
        let wrongMethod = try await h.send("PUT", "/api/invoices")
        #expect(wrongMethod.status == 405)
        #expect(wrongMethod.header("Allow")?.contains("POST") == true)
        #expect(try await h.send("GET", "/healthz").json["status"] as? String == "ok")
        #expect(try await h.send("GET", "/readyz").json["status"] as? String == "ready")
        await h.stop()
    }
}
