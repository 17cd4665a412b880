@testable import API
import Foundation
import HTTPServer
import Testing

/// Every tenant route that changes data needs a permission: a read-only token gets 403 on each.
/// The routes come from the running API's router, so a new write route cannot be forgotten.
@Suite struct WritePermissionTests {
    @Test func aReadOnlyTokenGets403OnEveryWriteRouteOfTheRouter() async throws {
        let h = try APIHarness()
        let acme = try await h.tenant("acme")
        let invoice = try await h.invoice(acme)
        let readOnly = h.token("acme", perms: [])
        let writes = h.api.routes.filter { route in
            guard case .tenant = route.audience else { return false }
            return !route.isRead
        }
        #expect(writes.count >= 20)
        #expect(writes.contains { $0.pattern == "/api/messages/{id}/read" })
        for route in writes {
            let path = route.pattern.replacingOccurrences(of: "{id}", with: String(invoice)).replacingOccurrences(of: "{deliveryId}", with: "1")
            #expect(!path.contains("{"), "\(route.pattern) has a parameter the test does not fill")
            let reply = try await h.send(route.method.rawValue, path, token: readOnly, json: [String: Int]())
            #expect(reply.status == 403, "\(route.method.rawValue) \(route.pattern) answered \(reply.status) to a read-only token")
            #expect(reply.errorCode == "forbidden", "\(route.method.rawValue) \(route.pattern)")
        }
        await h.stop()
    }

    @Test func aReadOnlyTokenCannotMarkAMessageRead() async throws {
        let h = try APIHarness()
        let acme = try await h.tenant("acme")
        let tenant = try #require(try await h.stores.tenants.tenant(slug: "acme"))
        var settings = try await h.stores.tenants.portalSettings(tenantID: tenant.id)
        settings.allowMessages = true
        _ = try await h.stores.tenants.updatePortalSettings(tenantID: tenant.id, settings)
        let message = try await h.stores.salesOrders.addCustomerMessage(tenantID: tenant.id, customerID: acme.customerID, text: "Hello")
        let refused = try await h.send("POST", "/api/messages/\(message.id)/read", token: h.token("acme", perms: []))
        #expect(refused.status == 403)
        let inbox = try await h.send("GET", "/api/messages?unread=true", token: h.token("acme", perms: []))
        #expect((inbox.json["data"] as? [Any])?.count == 1)
        #expect(try await h.send("POST", "/api/messages/\(message.id)/read", token: acme.token).status == 204)
        await h.stop()
    }

    @Test func everyTenantWriteRouteDeclaresAPermission() throws {
        let writeWithout = Route(.post, "/api/things", .tenant(permission: nil)) { _ in .init(status: 204) }
        let readWithout = Route(.get, "/api/things", .tenant(permission: nil)) { _ in .init(status: 204) }
        let writeWith = Route(.delete, "/api/things", .tenant(permission: "invoices:write")) { _ in .init(status: 204) }
        #expect(!writeWithout.declaresItsPermission)
        #expect(readWithout.declaresItsPermission)
        #expect(writeWith.declaresItsPermission)
    }
}
