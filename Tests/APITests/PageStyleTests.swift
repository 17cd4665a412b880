import Foundation
import Billing
import Testing
import Tokens

/// What every public page looks like to a buyer: buttons in a colour the page defines, the
/// tenant's colour on the tenant's pages, and long words that wrap instead of pushing the
/// amounts out of view.
@Suite struct PageStyleTests {
    /// An IBAN-like word of 62 characters without a space.
    static let longWord = "DE89370400440532013000DE89370400440532013000DE8937040044053201"
    /// Billport's own colour, which pages without a tenant show.
    static let billport = "#1F5EBD"

    /// A tenant with the brand colour `#AA3300`, an issued and shared invoice whose one line has
    /// `description`, a portal token and an unsubscribe token.
    struct Fixture {
        let h: APIHarness
        let share: String, portal: String, unsubscribe: String, publicID: String
    }

    func fixture(number: String = "INV-1", description: String = "Consulting") async throws -> Fixture {
        let h = try APIHarness()
        let acme = try await h.tenant("acme")
        #expect(try await h.send("PUT", "/api/settings/branding", token: acme.token, json: ["brandColor": "#AA3300"]).status == 200)
        let body = h.invoiceJSON(customer: acme.customerID, number: number, lines: [["description": description, "quantity": 1, "unitPrice": 123_456, "taxRate": 19]])
        let id = try #require(try await h.send("POST", "/api/invoices", token: acme.token, json: body).json["id"] as? Int)
        #expect(try await h.send("POST", "/api/invoices/\(id)/issue", token: acme.token).status == 200)
        let share = try #require(try await h.send("POST", "/api/invoices/\(id)/share", token: acme.token).json["shareToken"] as? String)
        let portal = try #require(try await h.send("POST", "/api/customers/\(acme.customerID)/portal-token", token: acme.token).json["token"] as? String)
        let publicID = try #require((try await h.send("GET", "/api/portal/\(portal)").json["invoices"] as? [[String: Any]])?.first?["publicId"] as? String)
        let tenantID = try #require(try await h.stores.tenants.tenant(slug: "acme")).id
        let unsubscribe = UnsubscribeTokens(key: Array(repeating: 7, count: 32)).token(tenantID: tenantID, customerID: acme.customerID)
        try await h.stores.customers.registerUnsubscribeToken(tenantID: tenantID, customerID: acme.customerID, hash: UnsubscribeTokens.hash(unsubscribe))
        return Fixture(h: h, share: share, portal: portal, unsubscribe: unsubscribe, publicID: publicID)
    }

    /// The `href`s of the page's `<link rel="stylesheet">`s, in order.
    static func stylesheets(of page: String) -> [String] {
        page.components(separatedBy: "<link rel=\"stylesheet\" href=\"").dropFirst().compactMap { $0.split(separator: "\"").first.map(String.init) }
    }

    /// The value the last stylesheet defining `--brand` in `:root` gives it, as the browser applies them.
    static func brand(in sheets: [String]) -> String? {
        sheets.compactMap { sheet -> String? in
            guard let root = sheet.range(of: ":root{") else { return nil }
            let rule = sheet[root.upperBound...].prefix { $0 != "}" }
            guard let start = rule.range(of: "--brand:") else { return nil }
            return String(rule[start.upperBound...].prefix { $0 != ";" && $0 != "}" })
        }.last
    }

    @Test func everyPublicPageDefinesTheBrandColourItsButtonsUse() async throws {
        let f = try await fixture()
        let pages: [(path: String, method: String, brand: String)] = [
            ("/invoice/\(f.share)", "GET", "#AA3300"),
            ("/portal/\(f.portal)", "GET", "#AA3300"),
            ("/portal/\(f.portal)/invoices/\(f.publicID)", "GET", "#AA3300"),
            ("/preferences/\(f.unsubscribe)", "GET", "#AA3300"),
            ("/unsubscribe/\(f.unsubscribe)?category=marketing", "GET", "#AA3300"),
            ("/unsubscribe/\(f.unsubscribe)?category=marketing", "POST", "#AA3300"),
            ("/pay/complete?session_id=cs_test_unknown", "GET", Self.billport),
            ("/invoice/\(String(repeating: "x", count: 43))", "GET", Self.billport),
            ("/portal/\(String(repeating: "x", count: 43))", "GET", Self.billport),
        ]
        for page in pages {
            let reply = try await f.h.send(page.method, page.path)
            #expect(reply.header("Content-Type") == "text/html; charset=utf-8", "\(page.path)")
            let links = Self.stylesheets(of: reply.text)
            #expect(links.first == "/assets/billport.css", "\(page.path)")
            var sheets: [String] = []
            for link in links { sheets.append(try await f.h.send("GET", link).text) }
            #expect(sheets.contains { $0.contains("var(--brand)") }, "\(page.path)")
            #expect(Self.brand(in: sheets) == page.brand, "\(page.path) links \(links)")
        }
        await f.h.stop()
    }

    @Test func aBrandColourCSSCannotReadIsRefusedAndNeverServed() async throws {
        let h = try APIHarness()
        let acme = try await h.tenant("acme")
        let fullwidth = "#\u{FF21}\u{FF21}\u{FF13}\u{FF13}\u{FF10}\u{FF10}" // ＡＡ３３００: hex digits to Swift, not to CSS
        let refused = try await h.send("PUT", "/api/settings/branding", token: acme.token, json: ["brandColor": fullwidth])
        #expect(refused.status == 422 && refused.errorField == "brandColor")
        let query = try #require(String(fullwidth.dropFirst()).addingPercentEncoding(withAllowedCharacters: CharacterSet(charactersIn: "0123456789ABCDEF")))
        #expect(try await h.send("GET", "/assets/brand.css?c=\(query)").text == ":root{--brand:\(Self.billport)}")
        await h.stop()
    }

    @Test func theBaseStylesheetDefinesTheBrandColourForPagesWithoutATenant() async throws {
        let h = try APIHarness()
        let css = try await h.send("GET", "/assets/billport.css").text
        #expect(css.contains("var(--brand)"))
        #expect(Self.brand(in: [css]) == Self.billport)
        await h.stop()
    }

    @Test func aLongWordInALineDescriptionWrapsInsteadOfPushingTheAmountsAway() async throws {
        let f = try await fixture(description: "Transfer to \(Self.longWord) please")
        let page = try await f.h.send("GET", "/invoice/\(f.share)").text
        #expect(page.contains("<td class=\"description\">Transfer to \(Self.longWord) please</td>"))
        let css = try await f.h.send("GET", "/assets/billport.css").text
        let rule = try #require(css.components(separatedBy: "}").first { $0.split(separator: "{").first?.split(separator: ",").contains(".description") == true })
        #expect(rule.contains("overflow-wrap:anywhere"))
        // The amount column keeps its figures on one line, so the long word is what gives way.
        #expect(css.contains("td:not(:first-child),.nowrap{white-space:nowrap}"))
        await f.h.stop()
    }

    @Test func aLongInvoiceNumberWrapsInThePortalsFirstColumn() async throws {
        let number = "INV-" + String(Self.longWord.prefix(56))
        let f = try await fixture(number: number)
        let page = try await f.h.send("GET", "/portal/\(f.portal)").text
        // The first column is the one that may wrap: the number is not held on one line there.
        #expect(page.contains("<tr><td><a href=\"/portal/\(f.portal)/invoices/\(f.publicID)\">\(number)</a>"))
        await f.h.stop()
    }
}
