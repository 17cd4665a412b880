@testable import API
import BillportCore
import Foundation
import TestSupport
import Testing

/// The portal as a buyer sees it in a browser, and what it lets them do.
@Suite struct PortalPageTests {
    func portal(_ h: APIHarness, _ tenant: APIHarness.Tenant) async throws -> String {
        try #require(try await h.send("POST", "/api/customers/\(tenant.customerID)/portal-token", token: tenant.token).json["token"] as? String)
    }

    @Test func thePageShowsBalancesAndInvoicesWithHostileStringsEscaped() async throws {
        let h = try APIHarness()
        let tenant = try await h.stores.tenants.createTenant(slug: "evil", name: "<b>Evil</b> & Co")
        let customer = try await h.stores.customers.createCustomer(tenantID: tenant.id, name: "<script>alert(1)</script>", email: "x@example.com", preferences: .init())
        let evil = APIHarness.Tenant(slug: "evil", token: h.token("evil"), customerID: customer.id)
        _ = try await h.send("PUT", "/api/settings/portal", token: evil.token, json: ["welcomeMessage": "<img src=x onerror=alert(2)>"])
        _ = try await h.invoice(evil, number: "INV-<i>1</i>")
        let token = try await portal(h, evil)

        let page = try await h.send("GET", "/portal/\(token)")
        #expect(page.status == 200)
        #expect(page.header("Content-Type") == "text/html; charset=utf-8")
        #expect(page.header("Cache-Control") == "no-store")
        #expect(page.text.contains(#"<meta name="robots" content="noindex,nofollow">"#))
        #expect(!page.text.contains("<script>") && !page.text.contains("<img src=x") && !page.text.contains("<i>1</i>"))
        #expect(page.text.contains("Hello, &lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(page.text.contains("&lt;b&gt;Evil&lt;/b&gt; &amp; Co"))
        #expect(page.text.contains("INV-&lt;i&gt;1&lt;/i&gt;"))
        #expect(page.text.contains("Outstanding (EUR)"))
        #expect(!page.text.contains("style="))
        await h.stop()
    }

    @Test func invoicesOpenFromThePortalAndCountAsPortalViews() async throws {
        let dir = TemporaryDirectory()
        var recorder: ViewRecorder?
        let h = try APIHarness(views: { stores in
            recorder = ViewRecorder(store: stores.views, directory: dir.path, logger: .disabled)
            return recorder!
        })
        let acme = try await h.tenant("acme")
        let id = try await h.invoice(acme)
        let token = try await portal(h, acme)
        let publicID = try #require((try await h.send("GET", "/api/portal/\(token)").json["invoices"] as? [[String: Any]])?.first?["publicId"] as? String)
        let page = try await h.send("GET", "/portal/\(token)")
        #expect(page.text.contains("href=\"/portal/\(token)/invoices/\(publicID)\""))
        #expect(page.text.contains("href=\"/portal/\(token)/invoices/\(publicID)/pdf\""))

        let invoice = try await h.send("GET", "/portal/\(token)/invoices/\(publicID)")
        #expect(invoice.status == 200)
        #expect(invoice.text.contains("Invoice INV-1"))
        #expect(invoice.text.contains("href=\"/portal/\(token)\"")) // back to the account
        let pdf = try await h.send("GET", "/portal/\(token)/invoices/\(publicID)/pdf")
        #expect(pdf.status == 200)
        #expect(pdf.header("Content-Type") == "application/pdf")
        await recorder?.flush()
        let views = try await h.send("GET", "/api/invoices/\(id)/views", token: acme.token).json["data"] as? [[String: Any]]
        #expect(views?.compactMap { $0["source"] as? String } == ["portal", "portal"])
        await h.stop()
    }

    @Test func anotherCustomersInvoiceIsTheBadLinkPage() async throws {
        let h = try APIHarness()
        let acme = try await h.tenant("acme")
        _ = try await h.invoice(acme)
        let ownerToken = try await portal(h, acme)
        let publicID = try #require((try await h.send("GET", "/api/portal/\(ownerToken)").json["invoices"] as? [[String: Any]])?.first?["publicId"] as? String)
        let tenantID = try #require(try await h.stores.tenants.tenant(slug: "acme")).id
        let other = try await h.stores.customers.createCustomer(tenantID: tenantID, name: "Other", email: "o@example.com", preferences: .init())
        let otherToken = try #require(try await h.send("POST", "/api/customers/\(other.id)/portal-token", token: acme.token).json["token"] as? String)
        let bad = try await h.send("GET", "/portal/\(String(repeating: "x", count: 43))")
        for path in ["/portal/\(otherToken)/invoices/\(publicID)", "/portal/\(otherToken)/invoices/\(publicID)/pdf"] {
            let reply = try await h.send("GET", path)
            #expect(reply.status == 404)
            if path.hasSuffix("pdf") { #expect(reply.errorCode == "not_found") } else { #expect(reply.body == bad.body) }
        }
        await h.stop()
    }

    @Test func expiredSwitchedOffAndUnknownTokensGetTheirPages() async throws {
        let clock = ManualClock()
        let h = try APIHarness(clock: clock)
        let acme = try await h.tenant("acme")
        let token = try await portal(h, acme)
        let unknown = try await h.send("GET", "/portal/\(String(repeating: "z", count: 43))")
        #expect(unknown.status == 404)
        #expect(unknown.text.contains("This link is not valid"))
        clock.advance(by: .seconds(31 * 86_400))
        let expired = try await h.send("GET", "/portal/\(token)")
        #expect(expired.status == 403)
        #expect(expired.text.contains("<h1>Access denied</h1>"))
        _ = try await h.send("PUT", "/api/settings/portal", token: h.token("acme"), json: ["enabled": false])
        let off = try await h.send("GET", "/portal/\(token)")
        #expect(off.status == 403)
        #expect(off.text.contains("<h1>Portal not available</h1>"))
        await h.stop()
    }

    @Test func salesOrdersShowOnlyWhenSwitchedOn() async throws {
        let h = try APIHarness()
        let acme = try await h.tenant("acme")
        let created = try await h.send("POST", "/api/sales-orders", token: acme.token, json: [
            "customerId": acme.customerID, "number": "SO-7", "currency": "EUR", "total": 125_000, "orderDate": "2026-11-02", "expectedDate": "2026-12-01",
        ])
        #expect(created.status == 201)
        #expect(created.json["status"] as? String == "open")
        let id = try #require(created.json["id"] as? Int)
        #expect(try await h.send("PUT", "/api/sales-orders/\(id)/status", token: acme.token, json: ["status": "confirmed"]).json["status"] as? String == "confirmed")
        let bad = try await h.send("POST", "/api/sales-orders", token: acme.token, json: [
            "customerId": acme.customerID, "number": "SO-8", "currency": "EUR", "total": -1, "orderDate": "2026-11-02",
        ])
        #expect(bad.status == 422)
        #expect(bad.errorField == "total")
        let wrongStatus = try await h.send("PUT", "/api/sales-orders/\(id)/status", token: acme.token, json: ["status": "shipped"])
        #expect(wrongStatus.status == 422)
        #expect(wrongStatus.errorField == "status")
        #expect(try await h.send("POST", "/api/sales-orders", token: acme.token, json: [
            "customerId": acme.customerID, "number": "SO-7", "currency": "EUR", "total": 1, "orderDate": "2026-11-02",
        ]).status == 409)

        let token = try await portal(h, acme)
        let json = try await h.send("GET", "/api/portal/\(token)")
        let orders = try #require(json.json["salesOrders"] as? [[String: Any]])
        #expect(orders.count == 1)
        #expect(orders[0]["number"] as? String == "SO-7" && orders[0]["status"] as? String == "confirmed" && orders[0]["total"] as? Int == 125_000)
        #expect(orders[0]["id"] == nil)
        #expect(try await h.send("GET", "/portal/\(token)").text.contains("SO-7"))

        _ = try await h.send("PUT", "/api/settings/portal", token: acme.token, json: ["showSalesOrders": false])
        #expect(try await h.send("GET", "/api/portal/\(token)").json["salesOrders"] == nil)
        #expect(try await h.send("GET", "/portal/\(token)").text.contains("SO-7") == false)
        await h.stop()
    }

    @Test func customersWriteMessagesTheTenantReadsOnlyWhenAllowed() async throws {
        let h = try APIHarness()
        let acme = try await h.tenant("acme")
        let token = try await portal(h, acme)
        let page = try await h.send("GET", "/portal/\(token)")
        #expect(!page.text.contains("<form")) // off by default
        let refused = try await h.send("POST", "/api/portal/\(token)/messages", json: ["message": "hello"])
        #expect(refused.status == 409)
        #expect(refused.errorCode == "messages_disabled")

        _ = try await h.send("PUT", "/api/settings/portal", token: acme.token, json: ["allowMessages": true])
        #expect(try await h.send("GET", "/portal/\(token)").text.contains("action=\"/portal/\(token)/messages\""))
        let json = try await h.send("POST", "/api/portal/\(token)/messages", json: ["message": "  Can I pay in two parts?  "])
        #expect(json.status == 201)
        let empty = try await h.send("POST", "/api/portal/\(token)/messages", json: ["message": "   "])
        #expect(empty.status == 422)
        #expect(empty.errorField == "message")
        // The HTML form: posts, is redirected (303) back to the portal, which thanks the customer.
        let form = try await h.send("POST", "/portal/\(token)/messages", rawBody: "message=%3Cb%3EHi%3C%2Fb%3E+there",
                                    headers: ["Content-Type": "application/x-www-form-urlencoded"])
        #expect(form.status == 200)
        #expect(form.text.contains("your message was sent"))

        let inbox = try await h.send("GET", "/api/messages", token: acme.token)
        let messages = try #require(inbox.json["data"] as? [[String: Any]])
        #expect(messages.compactMap { $0["message"] as? String } == ["<b>Hi</b> there", "Can I pay in two parts?"])
        #expect(messages[0]["customerName"] as? String == "Zoë Buyer")
        let first = try #require(messages[1]["id"] as? Int)
        #expect(try await h.send("POST", "/api/messages/\(first)/read", token: acme.token).status == 204)
        let unread = try await h.send("GET", "/api/messages?unread=true", token: acme.token).json["data"] as? [[String: Any]]
        #expect(unread?.count == 1)
        // Another tenant sees none of it.
        let other = try await h.tenant("other")
        #expect((try await h.send("GET", "/api/messages", token: other.token).json["data"] as? [Any])?.isEmpty == true)
        #expect(try await h.send("POST", "/api/messages/\(first)/read", token: other.token).status == 404)
        await h.stop()
    }
}
