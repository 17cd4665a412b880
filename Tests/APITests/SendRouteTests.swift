import Foundation
import Testing

@Suite struct SendRouteTests {
    @Test func sendingQueuesAJobTheTenantCanFollow() async throws {
        let h = try APIHarness()
        let acme = try await h.tenant("acme")
        let id = try await h.invoice(acme)
        let sent = try await h.send("POST", "/api/invoices/\(id)/send", token: acme.token,
                                    json: ["recipients": ["ap@buyer.example"], "message": "Hello"])
        #expect(sent.status == 202)
        let job = try #require(sent.json["jobId"] as? Int)
        #expect(sent.header("Location") == "/api/jobs/\(job)")
        let state = try await h.send("GET", "/api/jobs/\(job)", token: acme.token)
        #expect(state.status == 200)
        #expect(state.json["kind"] as? String == "email.send" && state.json["state"] as? String == "ready")
        #expect(try await h.send("POST", "/api/invoices/\(id)/send", token: acme.token).status == 202) // no body: the customer's address
        let other = try await h.tenant("other")
        #expect(try await h.send("GET", "/api/jobs/\(job)", token: other.token).status == 404)
        #expect(try await h.send("GET", "/api/invoices/\(id)/emails", token: acme.token).json["data"] as? [Any] != nil)
        await h.stop()
    }

    @Test func badSendsAreRefusedNamingTheField() async throws {
        let h = try APIHarness()
        let acme = try await h.tenant("acme")
        let draft = try await h.invoice(acme, number: "D-1", issue: false)
        let refused = try await h.send("POST", "/api/invoices/\(draft)/send", token: acme.token)
        #expect(refused.status == 409 && refused.errorCode == "invalid_status")
        let id = try await h.invoice(acme, number: "I-1")
        let bad = try await h.send("POST", "/api/invoices/\(id)/send", token: acme.token, json: ["recipients": ["ok@example.com", "not an address"]])
        #expect(bad.status == 422 && bad.errorField == "recipients[1]")
        let reader = h.token("acme", perms: ["invoices:write"])
        #expect(try await h.send("POST", "/api/invoices/\(id)/send", token: reader).status == 403)
        #expect(try await h.send("POST", "/api/invoices/99999/send", token: acme.token).status == 404)
        await h.stop()
    }
}
