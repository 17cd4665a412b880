import BillportCore
import Foundation
import TestSupport
import Testing
import Tokens

/// A media token lives as long as the portal token it came from and the portal itself, and
/// 60 s with a few seconds' leeway — never the API tokens' 30.
@Suite struct MediaTokenTests {
    struct Fixture {
        let h: APIHarness
        let clock: ManualClock
        let acme: APIHarness.Tenant
        let portal: String
        let pdfPath: String
    }

    func fixture() async throws -> Fixture {
        let clock = ManualClock(ISO8601.parse("2026-12-20T12:00:00Z")!)
        let h = try APIHarness(clock: clock)
        let acme = try await h.tenant("acme")
        let id = try await h.invoice(acme)
        let publicID = try #require(try await h.send("GET", "/api/invoices/\(id)", token: acme.token).json["publicId"] as? String)
        let portal = try #require(try await h.send("POST", "/api/customers/\(acme.customerID)/portal-token", token: acme.token).json["token"] as? String)
        return Fixture(h: h, clock: clock, acme: acme, portal: portal, pdfPath: "/api/public/billing/invoices/\(publicID)/pdf")
    }

    func mediaToken(_ f: Fixture) async throws -> String {
        try #require(try await f.h.send("GET", "/api/auth/media/customer", headers: ["Authorization": "Bearer \(f.portal)"]).json["jwt"] as? String)
    }

    @Test func aMediaTokenStopsWhenItsPortalTokenIsRevokedOrReplaced() async throws {
        let f = try await fixture()
        let jwt = try await mediaToken(f)
        #expect(try await f.h.send("GET", "\(f.pdfPath)?t=\(jwt)").status == 200)
        #expect(try await f.h.send("DELETE", "/api/customers/\(f.acme.customerID)/portal-token", token: f.acme.token).status == 204)
        let revoked = try await f.h.send("GET", "\(f.pdfPath)?t=\(jwt)")
        #expect(revoked.status == 401)
        #expect(revoked.errorCode == "unauthorized")

        let fresh = try #require(try await f.h.send("POST", "/api/customers/\(f.acme.customerID)/portal-token", token: f.acme.token).json["token"] as? String)
        let second = try #require(try await f.h.send("GET", "/api/auth/media/customer", headers: ["Authorization": "Bearer \(fresh)"]).json["jwt"] as? String)
        #expect(try await f.h.send("GET", "\(f.pdfPath)?t=\(second)").status == 200)
        _ = try await f.h.send("POST", "/api/customers/\(f.acme.customerID)/portal-token", token: f.acme.token)
        #expect(try await f.h.send("GET", "\(f.pdfPath)?t=\(second)").status == 401)
        await f.h.stop()
    }

    @Test func aMediaTokenIsNeitherIssuedNorHonouredWhileThePortalIsOff() async throws {
        let f = try await fixture()
        let jwt = try await mediaToken(f)
        #expect(try await f.h.send("PUT", "/api/settings/portal", token: f.acme.token, json: ["enabled": false]).status == 200)
        let download = try await f.h.send("GET", "\(f.pdfPath)?t=\(jwt)")
        #expect(download.status == 403)
        #expect(download.errorCode == "portal_unavailable")
        let issue = try await f.h.send("GET", "/api/auth/media/customer", headers: ["Authorization": "Bearer \(f.portal)"])
        #expect(issue.status == 403)
        #expect(issue.json["jwt"] == nil)
        #expect(try await f.h.send("PUT", "/api/settings/portal", token: f.acme.token, json: ["enabled": true]).status == 200)
        #expect(try await f.h.send("GET", "\(f.pdfPath)?t=\(jwt)").status == 200)
        await f.h.stop()
    }

    @Test func aMediaTokenExpiresSixtySecondsAfterIssuePlusAFewSecondsLeeway() async throws {
        let f = try await fixture()
        let jwt = try await mediaToken(f)
        f.clock.advance(by: .seconds(64))
        #expect(try await f.h.send("GET", "\(f.pdfPath)?t=\(jwt)").status == 200)
        f.clock.advance(by: .seconds(2))
        #expect(try await f.h.send("GET", "\(f.pdfPath)?t=\(jwt)").status == 401)
        await f.h.stop()
    }

    @Test func aMediaTokenWithoutItsPortalTokenIsRefused() async throws {
        let f = try await fixture()
        let now = Int64(f.clock.now().timeIntervalSince1970)
        let orphan = f.h.signer.sign(APIClaims(tenant: "acme", perms: [], exp: now + 60, nbf: now, scope: "media", customer: f.acme.customerID))
        #expect(try await f.h.send("GET", "\(f.pdfPath)?t=\(orphan)").status == 401)
        await f.h.stop()
    }
}
