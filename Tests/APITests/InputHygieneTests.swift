import Foundation
import Testing

/// Names, emails and colours a tenant sends are refused with 422 naming the field when they
/// could break an email or a page.
@Suite struct InputHygieneTests {
    @Test func aCustomerNameOrEmailWithALineBreakOrControlCharacterIs422NamingTheField() async throws {
        let h = try APIHarness()
        let acme = try await h.tenant("acme")
        let badNames = ["Acme\r\nBcc: victim@example.com", "Acme\nGmbH", "Tab\tName", "Nul\u{0}", "Del\u{7F}", "Nel\u{85}", "Line\u{2028}Sep", "Para\u{2029}"]
        for name in badNames {
            let reply = try await h.send("POST", "/api/customers", token: acme.token, json: ["name": name, "email": "ok@example.com"])
            #expect(reply.status == 422, "\(name.debugDescription)")
            #expect(reply.errorCode == "invalid_field")
            #expect(reply.errorField == "name", "\(name.debugDescription)")
        }
        for email in ["zoe@example.com\r\nBcc: victim@example.com", "zoe\u{0}@example.com", "zoe@exam\u{85}ple.com", "zoe@example.com\u{2028}"] {
            let reply = try await h.send("POST", "/api/customers", token: acme.token, json: ["name": "Zoë", "email": email])
            #expect(reply.status == 422, "\(email.debugDescription)")
            #expect(reply.errorField == "email", "\(email.debugDescription)")
        }
        let tooLong = try await h.send("POST", "/api/customers", token: acme.token, json: ["name": String(repeating: "a", count: 201), "email": "ok@example.com"])
        #expect(tooLong.errorField == "name")
        let fine = try await h.send("POST", "/api/customers", token: acme.token, json: ["name": "  Zoë Müller-Łukasiewicz  ", "email": " zoe@example.com "])
        #expect(fine.status == 201)
        #expect(fine.json["name"] as? String == "Zoë Müller-Łukasiewicz")
        #expect(fine.json["email"] as? String == "zoe@example.com")
        let stored = try await h.temp.database.read { db in try db.queryOne("SELECT count(*) FROM customers") { $0.int(0) } }
        #expect(stored == 2) // the fixture's customer and the fine one
        await h.stop()
    }

    @Test func aBrandColourWithFullWidthDigitsIsRefusedAndNeverReachesAStylesheet() async throws {
        let h = try APIHarness()
        let acme = try await h.tenant("acme")
        for colour in ["#１２３４５６", "#12345６", "#ＡＢＣＤＥＦ"] {
            let reply = try await h.send("PUT", "/api/settings/branding", token: acme.token, json: ["brandColor": colour])
            #expect(reply.status == 422, "\(colour)")
            #expect(reply.errorField == "brandColor")
        }
        #expect(try await h.send("PUT", "/api/settings/branding", token: acme.token, json: ["brandColor": "#1f6FEB"]).status == 200)
        let fullWidth = "１２３４５６".addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
        let css = try await h.send("GET", "/assets/brand.css?c=\(fullWidth)")
        #expect(css.status == 200)
        #expect(css.text == ":root{--brand:#1F5EBD}")
        #expect(try await h.send("GET", "/assets/brand.css?c=1f6FEB").text == ":root{--brand:#1f6FEB}")
        await h.stop()
    }
}
