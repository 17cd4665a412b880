import Foundation
import Testing
import Tokens

/// The download routes and the cache, with a stand-in renderer (real PDFs: DocumentsTests).
@Suite struct PDFRouteTests {
    @Test func shareLinksDownloadThePDFWithItsHeadersFromBothPaths() async throws {
        let renderer = StubRenderer()
        let h = try APIHarness(renderer: renderer)
        let acme = try await h.tenant("acme")
        let id = try await h.invoice(acme, number: "INV/2026 #7")
        let token = try #require(try await h.send("POST", "/api/invoices/\(id)/share", token: acme.token).json["shareToken"] as? String)
        for path in ["/api/invoices/view/\(token)/pdf", "/invoice/\(token)/pdf"] {
            let pdf = try await h.send("GET", path)
            #expect(pdf.status == 200)
            #expect(pdf.header("Content-Type") == "application/pdf")
            #expect(pdf.header("Content-Disposition") == #"attachment; filename="Invoice-INV_2026__7.pdf""#)
            #expect(pdf.header("Cache-Control") == "no-store")
            #expect(pdf.header("X-Robots-Tag") == "noindex")
            #expect(pdf.text.hasPrefix("%PDF-stub INV/2026 #7"))
        }
        #expect(renderer.renders == 1) // the second download came from the cache
        let bad = try await h.send("GET", "/invoice/\(String(repeating: "B", count: 43))/pdf")
        let view404 = try await h.send("GET", "/api/invoices/view/nope")
        #expect(bad.status == 404)
        #expect(bad.body == view404.body)
        _ = try await h.send("DELETE", "/api/invoices/\(id)/share", token: acme.token)
        #expect(try await h.send("GET", "/invoice/\(token)/pdf").status == 404)
        await h.stop()
    }

    @Test func aChangeToTheInvoiceMakesANewPDF() async throws {
        let renderer = StubRenderer()
        let h = try APIHarness(renderer: renderer)
        let acme = try await h.tenant("acme")
        let id = try await h.invoice(acme)
        #expect(try await h.send("GET", "/api/invoices/\(id)/pdf", token: acme.token).status == 200)
        _ = try await h.send("POST", "/api/invoices/\(id)/credit-notes", token: acme.token, json: ["number": "CN-1", "amount": 100])
        #expect(try await h.send("GET", "/api/invoices/\(id)/pdf", token: acme.token).status == 200)
        #expect(renderer.renders == 2)
        let rows = try await h.temp.database.read { db in try db.queryOne("SELECT count(*) FROM pdf_cache") { $0.int(0) } }
        #expect(rows == 1) // the old render is dropped
        await h.stop()
    }

    @Test func mediaTokensOpenOnlyTheirCustomersInvoices() async throws {
        let h = try APIHarness()
        let acme = try await h.tenant("acme")
        let id = try await h.invoice(acme)
        let publicID = try #require(try await h.send("GET", "/api/invoices/\(id)", token: acme.token).json["publicId"] as? String)
        let portal = try #require(try await h.send("POST", "/api/customers/\(acme.customerID)/portal-token", token: acme.token).json["token"] as? String)
        let jwt = try #require(try await h.send("GET", "/api/auth/media/customer", headers: ["Authorization": "Bearer \(portal)"]).json["jwt"] as? String)
        let ok = try await h.send("GET", "/api/public/billing/invoices/\(publicID)/pdf?t=\(jwt)")
        #expect(ok.status == 200)
        #expect(ok.header("Content-Type") == "application/pdf")
        #expect(try await h.send("GET", "/api/public/billing/invoices/\(publicID)/pdf").status == 401)
        #expect(try await h.send("GET", "/api/public/billing/invoices/\(publicID)/pdf?t=garbage").status == 401)
        let expired = h.signer.sign(APIClaims(tenant: "acme", perms: [], exp: Int64(Date().timeIntervalSince1970) - 120, scope: "media", customer: acme.customerID))
        #expect(try await h.send("GET", "/api/public/billing/invoices/\(publicID)/pdf?t=\(expired)").status == 401)
        let apiToken = h.token("acme")
        #expect(try await h.send("GET", "/api/public/billing/invoices/\(publicID)/pdf?t=\(apiToken)").status == 401)
        // Another customer's invoice is not found.
        let other = try await h.stores.customers.createCustomer(tenantID: try #require(try await h.stores.tenants.tenant(slug: "acme")).id, name: "Other", email: "o@x.example", preferences: .init())
        let otherInvoice = try await h.send("POST", "/api/invoices", token: acme.token, json: h.invoiceJSON(customer: other.id, number: "O-1"))
        let otherPublic = try #require(otherInvoice.json["publicId"] as? String)
        _ = try await h.send("POST", "/api/invoices/\(otherInvoice.json["id"] as! Int)/issue", token: acme.token)
        #expect(try await h.send("GET", "/api/public/billing/invoices/\(otherPublic)/pdf?t=\(jwt)").status == 404)
        await h.stop()
    }

    @Test func aFailingRenderIsAnErrorTheTenantCanSee() async throws {
        let h = try APIHarness()
        let acme = try await h.tenant("acme")
        var body = h.invoiceJSON(customer: acme.customerID)
        body["notes"] = "break the renderer"
        let id = try #require(try await h.send("POST", "/api/invoices", token: acme.token, json: body).json["id"] as? Int)
        let reply = try await h.send("GET", "/api/invoices/\(id)/pdf", token: acme.token)
        #expect(reply.status == 500)
        #expect(reply.errorCode == "pdf_render_failed")
        #expect(reply.text.contains("the logo is not an image"))
        await h.stop()
    }
}
