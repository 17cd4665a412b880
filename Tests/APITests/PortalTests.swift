import BillportCore
import Foundation
import TestSupport
import Testing

@Suite struct PortalTests {
    /// 2026-12-20: INV-A due 2026-12-01 (19 days late), INV-B due 2026-10-01 (80 days), INV-C due 2027-01-15 (current).
    func fixture() async throws -> (APIHarness, APIHarness.Tenant, ManualClock, String) {
        let clock = ManualClock(ISO8601.parse("2026-12-20T12:00:00Z")!)
        let h = try APIHarness(clock: clock)
        let acme = try await h.tenant("acme")
        for (number, due, currency) in [("INV-A", "2026-12-01", "EUR"), ("INV-B", "2026-10-01", "EUR"), ("INV-C", "2027-01-15", "EUR"), ("INV-D", "2026-11-25", "USD")] {
            var body = h.invoiceJSON(customer: acme.customerID, number: number, currency: currency, dueDate: due)
            body["issueDate"] = "2026-09-01"
            let id = try #require(try await h.send("POST", "/api/invoices", token: acme.token, json: body).json["id"] as? Int)
            _ = try await h.send("POST", "/api/invoices/\(id)/issue", token: acme.token)
        }
        _ = try await h.send("POST", "/api/invoices", token: acme.token, json: h.invoiceJSON(customer: acme.customerID, number: "DRAFT"))
        let token = try #require(try await h.send("POST", "/api/customers/\(acme.customerID)/portal-token", token: acme.token).json["token"] as? String)
        return (h, acme, clock, token)
    }

    @Test func showsTheOutstandingBalanceAcrossInvoicesWithAging() async throws {
        let (h, _, _, token) = try await fixture()
        let portal = try await h.send("GET", "/api/portal/\(token)")
        #expect(portal.status == 200)
        #expect(portal.json["overdue"] as? Bool == true)
        let balances = try #require(portal.json["balances"] as? [[String: Any]])
        #expect(balances.map { $0["currency"] as? String } == ["EUR", "USD"])
        #expect(balances[0]["outstanding"] as? Int == 3 * 135_660)
        #expect(balances[0]["overdue"] as? Int == 2 * 135_660)
        let aging = try #require((portal.json["statement"] as? [String: Any])?["balances"] as? [[String: Any]])
        #expect(aging[0]["current"] as? Int == 135_660)
        #expect(aging[0]["days1to30"] as? Int == 135_660)
        #expect(aging[0]["days61to90"] as? Int == 135_660)
        #expect(aging[1]["days1to30"] as? Int == 135_660) // USD, 25 days late
        let numbers = (portal.json["invoices"] as? [[String: Any]])?.compactMap { $0["number"] as? String }
        #expect(numbers == ["INV-D", "INV-C", "INV-B", "INV-A"]) // no draft
        #expect(!portal.text.contains(token))
        #expect(!portal.text.contains("\"id\""))
        await h.stop()
    }

    @Test func paginatesWithOffsets() async throws {
        let (h, _, _, token) = try await fixture()
        let first = try await h.send("GET", "/api/portal/\(token)?limit=3")
        #expect((first.json["invoices"] as? [Any])?.count == 3)
        #expect(first.json["nextOffset"] as? Int == 3)
        let last = try await h.send("GET", "/api/portal/\(token)?limit=3&offset=3")
        #expect((last.json["invoices"] as? [Any])?.count == 1)
        #expect(last.json["nextOffset"] == nil)
        #expect(try await h.send("GET", "/api/portal/\(token)?limit=0").status == 422)
        await h.stop()
    }

    @Test func paginatesByCursorThatNewInvoicesDoNotShift() async throws {
        let (h, acme, _, token) = try await fixture()
        let first = try await h.send("GET", "/api/portal/\(token)?limit=2")
        let cursor = try #require(first.json["nextCursor"] as? String)
        #expect((first.json["invoices"] as? [[String: Any]])?.last?["publicId"] as? String == cursor)
        let html = try await h.send("GET", "/portal/\(token)?limit=2")
        #expect(html.text.contains("<a href=\"/portal/\(token)?before=\(cursor)\">Older invoices</a>"))
        _ = try await h.invoice(acme, number: "INV-NEW")
        let second = try await h.send("GET", "/api/portal/\(token)?limit=2&before=\(cursor)")
        #expect((second.json["invoices"] as? [[String: Any]])?.compactMap { $0["number"] as? String } == ["INV-B", "INV-A"])
        #expect(second.json["nextCursor"] == nil)
        #expect(second.json["nextOffset"] == nil)
        let page = try await h.send("GET", "/portal/\(token)?before=\(cursor)")
        #expect(page.text.contains("INV-B") && !page.text.contains("INV-C") && !page.text.contains("Older invoices"))
        let foreign = try await h.send("GET", "/api/portal/\(token)?before=inv_not_this_customers")
        #expect(foreign.status == 422)
        #expect(foreign.errorField == "before")
        let foreignPage = try await h.send("GET", "/portal/\(token)?before=inv_not_this_customers")
        #expect(foreignPage.status == 422)
        #expect(foreignPage.text.contains("Page not available"))
        await h.stop()
    }

    @Test func anotherCustomersTokenNeverShowsTheseInvoices() async throws {
        let (h, acme, _, _) = try await fixture()
        let tenantID = try #require(try await h.stores.tenants.tenant(slug: "acme")).id
        let other = try await h.stores.customers.createCustomer(tenantID: tenantID, name: "Other", email: "o@example.com", preferences: .init())
        let token = try #require(try await h.send("POST", "/api/customers/\(other.id)/portal-token", token: acme.token).json["token"] as? String)
        let portal = try await h.send("GET", "/api/portal/\(token)")
        #expect((portal.json["invoices"] as? [Any])?.isEmpty == true)
        #expect((portal.json["balances"] as? [Any])?.isEmpty == true)
        #expect(portal.json["customerName"] as? String == "Other")
        await h.stop()
    }

    @Test func expiredTokensAreDeniedAndASwitchedOffPortalIsUnavailable() async throws {
        let (h, acme, clock, token) = try await fixture()
        clock.advance(by: .seconds(31 * 86_400))
        let expired = try await h.send("GET", "/api/portal/\(token)")
        #expect(expired.status == 403)
        #expect(expired.errorCode == "access_denied")
        #expect(try await h.send("PUT", "/api/settings/portal", token: h.token(acme.slug), json: ["enabled": false]).status == 200)
        let off = try await h.send("GET", "/api/portal/\(token)")
        #expect(off.status == 403)
        #expect(off.errorCode == "portal_unavailable")
        #expect(try await h.send("GET", "/api/portal/\(String(repeating: "z", count: 43))").status == 404)
        await h.stop()
    }

    /// A tenant switching its portal off is the tenant's choice, not a fault of the server: a 5xx
    /// would make proxies retry it elsewhere and monitors page someone (schemathesis found it).
    @Test func aSwitchedOffPortalIsA403NotAServerErrorOnEveryPortalRoute() async throws {
        let (h, acme, _, token) = try await fixture()
        #expect(try await h.send("PATCH", "/api/settings/portal", token: h.token(acme.slug), json: ["enabled": false]).status == 200)
        let answers = [
            try await h.send("GET", "/api/portal/\(token)"),
            try await h.send("POST", "/api/portal/\(token)/messages", json: ["message": "Hello"]),
            try await h.send("GET", "/api/auth/media/customer", headers: ["Authorization": "Bearer \(token)"]),
        ]
        for answer in answers {
            #expect(answer.status == 403, "\(answer.text)")
            #expect(answer.errorCode == "portal_unavailable")
        }
        let page = try await h.send("GET", "/portal/\(token)")
        #expect(page.status == 403)
        #expect(page.text.contains("<h1>Portal not available</h1>"))
        await h.stop()
    }

    @Test func settingsAreValidatedAndTheExpiryAppliesToNewTokens() async throws {
        let (h, acme, clock, _) = try await fixture()
        let bad = try await h.send("PUT", "/api/settings/portal", token: acme.token, json: ["tokenExpiryDays": 0])
        #expect(bad.status == 422)
        #expect(bad.errorField == "tokenExpiryDays")
        let long = try await h.send("PUT", "/api/settings/portal", token: acme.token, json: ["welcomeMessage": String(repeating: "w", count: 501)])
        #expect(long.errorField == "welcomeMessage")
        let saved = try await h.send("PUT", "/api/settings/portal", token: acme.token, json: ["tokenExpiryDays": 7, "welcomeMessage": "Hallo!"])
        #expect(saved.json["tokenExpiryDays"] as? Int == 7)
        let token = try await h.send("POST", "/api/customers/\(acme.customerID)/portal-token", token: acme.token)
        #expect(token.json["expiresAt"] as? String == ISO8601.format(clock.now().addingTimeInterval(7 * 86_400)))
        let portal = try await h.send("GET", "/api/portal/\(try #require(token.json["token"] as? String))")
        #expect(portal.json["welcomeMessage"] as? String == "Hallo!")
        await h.stop()
    }
}

extension PortalTests {
    @Test func creditNotesAndTheStatementFollowTheirSettings() async throws {
        let (h, acme, _, token) = try await fixture()
        let invoices = try #require(try await h.send("GET", "/api/invoices", token: acme.token).json["data"] as? [[String: Any]])
        let issued = try #require(invoices.first { $0["number"] as? String == "INV-A" }?["id"] as? Int)
        _ = try await h.send("POST", "/api/invoices/\(issued)/credit-notes", token: acme.token, json: ["number": "CN-1", "amount": 10_000])
        let shown = try await h.send("GET", "/api/portal/\(token)")
        #expect((shown.json["creditNotes"] as? [[String: Any]])?.first?["credited"] as? Int == 10_000)
        #expect(shown.json["statement"] != nil)
        #expect(try await h.send("GET", "/portal/\(token)").text.contains("Credit notes"))

        _ = try await h.send("PUT", "/api/settings/portal", token: acme.token, json: ["showCreditNotes": false, "showStatement": false])
        let hidden = try await h.send("GET", "/api/portal/\(token)")
        #expect(hidden.json["creditNotes"] == nil)
        #expect(hidden.json["statement"] == nil)
        let page = try await h.send("GET", "/portal/\(token)").text
        #expect(!page.contains("Credit notes") && !page.contains("Statement as of"))
        await h.stop()
    }
}

@Suite struct PortalTokenListTests {
    @Test func theTenantSeesItsTokensAsActiveRevokedOrExpiredAndTheJobMarksExpiry() async throws {
        let clock = ManualClock()
        let h = try APIHarness(clock: clock)
        let acme = try await h.tenant("acme")
        let first = try await h.send("POST", "/api/customers/\(acme.customerID)/portal-token", token: acme.token)
        let token = try #require(first.json["token"] as? String)
        _ = try await h.send("POST", "/api/customers/\(acme.customerID)/portal-token", token: acme.token)
        let list = try await h.send("GET", "/api/portal-tokens", token: acme.token)
        #expect((list.json["data"] as? [[String: Any]])?.compactMap { $0["status"] as? String } == ["active", "revoked"])
        #expect(!list.text.contains(token))
        clock.advance(by: .seconds(31 * 86_400))
        #expect(try await h.stores.links.markExpiredPortalTokens() == 1)
        #expect(try await h.stores.links.markExpiredPortalTokens() == 0)
        let later = try await h.send("GET", "/api/portal-tokens", token: h.token("acme"))
        #expect((later.json["data"] as? [[String: Any]])?.compactMap { $0["status"] as? String } == ["expired", "revoked"])
        await h.stop()
    }
}
