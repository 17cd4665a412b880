import Foundation
import Testing

/// Text limits count Unicode code points, as JSON Schema's `maxLength` (and so the OpenAPI
/// document) does. Counting Swift `Character`s let one "character" of stacked combining marks
/// carry any number of them past a limit (schemathesis found a welcome message of a few hundred
/// characters and thousands of code points accepted).
@Suite struct TextLimitTests {
    /// One `Character`: a letter with `marks` combining acute accents.
    static func stacked(_ marks: Int) -> String { "a" + String(repeating: "\u{0301}", count: marks) }

    @Test func oneCharacterOfStackedMarksCannotCarryPastAWelcomeMessageOrANameLimit() async throws {
        let h = try APIHarness()
        let acme = try await h.tenant("acme")
        #expect(Self.stacked(600).count == 1)

        let welcome = try await h.send("PATCH", "/api/settings/portal", token: acme.token, json: ["welcomeMessage": Self.stacked(600)])
        #expect(welcome.status == 422)
        #expect(welcome.errorField == "welcomeMessage")
        let name = try await h.send("POST", "/api/customers", token: acme.token, json: ["name": Self.stacked(300), "email": "a@example.com"])
        #expect(name.status == 422)
        #expect(name.errorField == "name")
        let notes = try await h.send("POST", "/api/invoices", token: acme.token,
                                     json: h.invoiceJSON(customer: acme.customerID).merging(["notes": Self.stacked(2500)]) { $1 })
        #expect(notes.status == 422)
        #expect(notes.errorField == "notes")
        await h.stop()
    }

    @Test func aTextOfExactlyTheLimitInCodePointsIsStillTaken() async throws {
        let h = try APIHarness()
        let acme = try await h.tenant("acme")
        let full = String(repeating: "é", count: 500)  // precomposed: one code point each
        let welcome = try await h.send("PATCH", "/api/settings/portal", token: acme.token, json: ["welcomeMessage": full])
        #expect(welcome.status == 200, "\(welcome.text)")
        #expect(welcome.json["welcomeMessage"] as? String == full)
        let over = try await h.send("PATCH", "/api/settings/portal", token: acme.token, json: ["welcomeMessage": full + "é"])
        #expect(over.status == 422)
        await h.stop()
    }
}
