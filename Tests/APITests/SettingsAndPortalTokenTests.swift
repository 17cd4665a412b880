import Foundation
import Testing
import TestSupport
import Tokens

@Suite struct SettingsAndPortalTokenTests {
    static let png = TestPNG.zeros(width: 2, height: 2)

    @Test func brandingIsValidatedAndStored() async throws {
        let h = try APIHarness()
        let acme = try await h.tenant("acme")
        let saved = try await h.send("PUT", "/api/settings/branding", token: acme.token,
                                     json: ["brandColor": "#1F6FEB", "pageSize": "letter", "paymentInstructions": "IBAN DE00 1234"])
        #expect(saved.status == 200)
        #expect(saved.json["pageSize"] as? String == "Letter")
        #expect(saved.json["hasLogo"] as? Bool == false)
        let bad = try await h.send("PUT", "/api/settings/branding", token: acme.token, json: ["brandColor": "blue"])
        #expect(bad.status == 422)
        #expect(bad.errorField == "brandColor")
        let logo = try await h.send("PUT", "/api/settings/logo", token: acme.token, bytes: Self.png, headers: ["Content-Type": "image/png"])
        #expect(logo.status == 204)
        #expect(try await h.send("GET", "/api/settings/branding", token: acme.token).json["hasLogo"] as? Bool == true)
        let notImage = try await h.send("PUT", "/api/settings/logo", token: acme.token, rawBody: "hello", headers: ["Content-Type": "image/png"])
        #expect(notImage.status == 422)
        #expect(notImage.errorField == "logo")
        await h.stop()
    }

    @Test func portalTokensReplaceEachOtherAndOpenAMediaTokenForSixtySeconds() async throws {
        let h = try APIHarness()
        let acme = try await h.tenant("acme")
        let first = try await h.send("POST", "/api/customers/\(acme.customerID)/portal-token", token: acme.token)
        #expect(first.status == 201)
        let oldToken = try #require(first.json["token"] as? String)
        #expect(first.json["url"] as? String == "https://billing.example.com/portal/\(oldToken)")
        #expect(first.json["expiresAt"] != nil)
        let second = try await h.send("POST", "/api/customers/\(acme.customerID)/portal-token", token: acme.token)
        let newToken = try #require(second.json["token"] as? String)

        #expect(try await h.send("GET", "/api/auth/media/customer", headers: ["Authorization": "Bearer \(oldToken)"]).status == 401)
        let media = try await h.send("GET", "/api/auth/media/customer", headers: ["Authorization": "Bearer \(newToken)"])
        #expect(media.status == 200)
        let jwt = try #require(media.json["jwt"] as? String)
        let claims = try h.signer.verify(jwt, now: Date())
        #expect(claims.scope == "media")
        #expect(claims.customer == acme.customerID)
        #expect(claims.exp - Int64(Date().timeIntervalSince1970) <= 60)
        // A media token is not an API token.
        #expect(try await h.send("GET", "/api/invoices", token: jwt).status == 401)

        #expect(try await h.send("DELETE", "/api/customers/\(acme.customerID)/portal-token", token: acme.token).status == 204)
        #expect(try await h.send("GET", "/api/auth/media/customer", headers: ["Authorization": "Bearer \(newToken)"]).status == 401)
        #expect(try await h.send("GET", "/api/auth/media/customer").status == 401)
        await h.stop()
    }
}
