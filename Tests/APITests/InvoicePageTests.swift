import Foundation
import Testing

@Suite struct InvoicePageTests {
    @Test func theBuyerSeesTheInvoiceWithEveryHostileStringEscaped() async throws {
        let h = try APIHarness()
        let tenant = try await h.stores.tenants.createTenant(slug: "evil", name: "<script>alert('v')</script> GmbH")
        let customer = try await h.stores.customers.createCustomer(tenantID: tenant.id, name: "<script>alert(1)</script>", email: "x@example.com", preferences: .init())
        let token = h.token("evil")
        let body = h.invoiceJSON(customer: customer.id, lines: [["description": "<img src=x onerror=alert(2)> & \"quotes\"", "quantity": 2, "unitPrice": 1234, "taxRate": 19]])
        let id = try #require(try await h.send("POST", "/api/invoices", token: token, json: body).json["id"] as? Int)
        _ = try await h.send("POST", "/api/invoices/\(id)/issue", token: token)
        let share = try #require(try await h.send("POST", "/api/invoices/\(id)/share", token: token).json["shareToken"] as? String)

        let page = try await h.send("GET", "/invoice/\(share)")
        #expect(page.status == 200)
        #expect(page.header("Content-Type") == "text/html; charset=utf-8")
        #expect(page.text.contains(#"<meta name="robots" content="noindex,nofollow">"#))
        #expect(page.header("X-Robots-Tag") == "noindex")
        #expect(page.header("Cache-Control") == "no-store")
        #expect(page.header("Content-Security-Policy")?.contains("script-src") == false) // no script is allowed at all
        #expect(!page.text.contains("<script>"))
        #expect(!page.text.contains("<img src=x"))
        #expect(page.text.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(page.text.contains("&lt;img src=x onerror=alert(2)&gt; &amp; &quot;quotes&quot;"))
        #expect(page.text.contains("Invoice INV-1"))
        #expect(page.text.contains("29.37 EUR")) // 24.68 + 19 %
        #expect(page.text.contains("href=\"/invoice/\(share)/pdf\""))
        #expect(page.text.contains("Powered by Billport"))
        #expect(!page.text.contains("style=")) // no inline style: the CSP forbids it
        await h.stop()
    }

    @Test func everyBadLinkGetsTheSamePage() async throws {
        let h = try APIHarness()
        let acme = try await h.tenant("acme")
        let id = try await h.invoice(acme)
        let revoked = try #require(try await h.send("POST", "/api/invoices/\(id)/share", token: acme.token).json["shareToken"] as? String)
        _ = try await h.send("DELETE", "/api/invoices/\(id)/share", token: acme.token)
        let replies = [
            try await h.send("GET", "/invoice/\(revoked)"),
            try await h.send("GET", "/invoice/\(String(repeating: "x", count: 43))"),
            try await h.send("GET", "/invoice/short"),
        ]
        for reply in replies {
            #expect(reply.status == 404)
            #expect(reply.body == replies[0].body)
            #expect(reply.text.contains("This link is not valid"))
            #expect(reply.header("X-Request-Id") == nil)
        }
        await h.stop()
    }

    @Test func stylesheetsAreServedAndTheBrandColourIsValidated() async throws {
        let h = try APIHarness()
        #expect(try await h.send("GET", "/assets/billport.css").header("Content-Type") == "text/css; charset=utf-8")
        #expect(try await h.send("GET", "/assets/brand.css?c=AA3300").text == ":root{--brand:#AA3300}")
        #expect(try await h.send("GET", "/assets/brand.css?c=red;}body{display:none").text == ":root{--brand:#1F5EBD}")
        await h.stop()
    }
}
