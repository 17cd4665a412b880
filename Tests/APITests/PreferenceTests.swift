import Foundation
import Billing
import TestSupport
import Testing
import Tokens

/// The opt-out side of email: the preference API and page, and RFC 8058 one-click unsubscribe.
@Suite struct PreferenceTests {
    let tokens = UnsubscribeTokens(key: Array(repeating: 7, count: 32))

    func fixture(rateLimits: (perAddress: Int, perToken: Int) = (0, 0)) async throws -> (APIHarness, APIHarness.Tenant, String) {
        let h = try APIHarness(rateLimits: rateLimits)
        let acme = try await h.tenant("acme")
        let tenantID = try #require(try await h.stores.tenants.tenant(slug: "acme")).id
        let token = tokens.token(tenantID: tenantID, customerID: acme.customerID)
        try await h.stores.customers.registerUnsubscribeToken(tenantID: tenantID, customerID: acme.customerID, hash: UnsubscribeTokens.hash(token))
        return (h, acme, token)
    }

    func preferences(_ h: APIHarness, _ tenant: APIHarness.Tenant) async throws -> [String: Bool] {
        let customer = try await h.send("GET", "/api/customers/\(tenant.customerID)", token: tenant.token)
        return (customer.json["preferences"] as? [String: Bool]) ?? [:]
    }

    @Test func tokensAreStableAndDifferPerCustomer() {
        #expect(tokens.token(tenantID: 1, customerID: 2) == tokens.token(tenantID: 1, customerID: 2))
        #expect(tokens.token(tenantID: 1, customerID: 2) != tokens.token(tenantID: 1, customerID: 3))
        #expect(tokens.token(tenantID: 1, customerID: 2).count == 43)
        #expect(UnsubscribeTokens(key: Array(repeating: 8, count: 32)).token(tenantID: 1, customerID: 2) != tokens.token(tenantID: 1, customerID: 2))
    }

    @Test func theAPIReadsAndChangesTheThreeToggles() async throws {
        let (h, acme, token) = try await fixture()
        let read = try await h.send("GET", "/api/preferences/\(token)")
        #expect(read.status == 200)
        #expect(read.json["document"] as? Bool == true && read.json["reminder"] as? Bool == true && read.json["marketing"] as? Bool == false)
        #expect(read.json["vendorName"] as? String == "Acme GmbH")
        let changed = try await h.send("PUT", "/api/preferences/\(token)", json: ["reminder": false, "marketing": true])
        #expect(changed.status == 200)
        #expect(try await preferences(h, acme) == ["document": true, "reminder": false, "marketing": true])
        await h.stop()
    }

    @Test func badFieldsAre422sNamingThemAndChangeNothing() async throws {
        let (h, acme, token) = try await fixture()
        let unknown = try await h.send("PUT", "/api/preferences/\(token)", json: ["reminders": false])
        #expect(unknown.status == 422)
        #expect(unknown.errorCode == "unknown_field" && unknown.errorField == "reminders")
        let notBoolean = try await h.send("PUT", "/api/preferences/\(token)", json: ["marketing": 1, "document": false])
        #expect(notBoolean.status == 422)
        #expect(notBoolean.errorField == "marketing")
        let null = try await h.send("PUT", "/api/preferences/\(token)", rawBody: #"{"reminder": null}"#)
        #expect(null.status == 422 && null.errorField == "reminder")
        #expect(try await h.send("PUT", "/api/preferences/\(token)", rawBody: "[true]").status == 422)
        #expect(try await h.send("PUT", "/api/preferences/\(token)", rawBody: "{marketing").status == 400)
        let short = try await h.send("GET", "/api/preferences/abc")
        #expect(short.status == 400)
        #expect(short.errorCode == "invalid_token")
        #expect(try await h.send("GET", "/api/preferences/\(String(repeating: "q", count: 43))").status == 404)
        #expect(try await preferences(h, acme) == ["document": true, "reminder": true, "marketing": false])
        await h.stop()
    }

    @Test func oneClickTurnsOffExactlyOneCategoryAndGetChangesNothing() async throws {
        let (h, acme, token) = try await fixture()
        let scanned = try await h.send("GET", "/unsubscribe/\(token)?category=reminder")
        #expect(scanned.status == 200)
        #expect(scanned.text.contains("action=\"/unsubscribe/\(token)?category=reminder\""))
        #expect(try await preferences(h, acme) == ["document": true, "reminder": true, "marketing": false])

        let click = try await h.send("POST", "/unsubscribe/\(token)?category=reminder", rawBody: "List-Unsubscribe=One-Click",
                                     headers: ["Content-Type": "application/x-www-form-urlencoded"])
        #expect(click.status == 200)
        #expect(click.header("Location") == nil && click.header("Set-Cookie") == nil)
        #expect(click.text.contains("no longer receive payment reminders"))
        #expect(try await preferences(h, acme) == ["document": true, "reminder": false, "marketing": false])
        #expect(try await h.send("POST", "/unsubscribe/\(token)?category=everything").status == 422)
        #expect(try await h.send("POST", "/unsubscribe/\(token)").status == 422)
        await h.stop()
    }

    @Test func thePageSavesTogglesAndTurnsEverythingOffWithoutJavaScript() async throws {
        let (h, acme, token) = try await fixture()
        let page = try await h.send("GET", "/preferences/\(token)")
        #expect(page.status == 200)
        #expect(page.text.contains(#"name="document" checked"#) && page.text.contains(#"name="marketing">"#))
        #expect(!page.text.contains("<script"))
        let saved = try await h.send("POST", "/preferences/\(token)", rawBody: "document=on&marketing=on",
                                     headers: ["Content-Type": "application/x-www-form-urlencoded"])
        #expect(saved.status == 200) // after the 303 back to the page
        #expect(saved.text.contains("Saved."))
        #expect(try await preferences(h, acme) == ["document": true, "reminder": false, "marketing": true])
        _ = try await h.send("POST", "/preferences/\(token)", rawBody: "all=off", headers: ["Content-Type": "application/x-www-form-urlencoded"])
        #expect(try await preferences(h, acme) == ["document": false, "reminder": false, "marketing": false])
        let malformed = try await h.send("GET", "/preferences/abc")
        #expect(malformed.status == 400 && malformed.text.contains("This link is not valid"))
        await h.stop()
    }

    @Test func preferencesAreRateLimitedPerAddress() async throws {
        let (h, _, token) = try await fixture(rateLimits: (perAddress: 3, perToken: 0))
        for _ in 0..<3 { #expect(try await h.send("GET", "/api/preferences/\(token)").status == 200) }
        let limited = try await h.send("PUT", "/api/preferences/\(token)", json: ["marketing": true])
        #expect(limited.status == 429)
        #expect(limited.header("Retry-After") != nil)
        await h.stop()
    }
}
