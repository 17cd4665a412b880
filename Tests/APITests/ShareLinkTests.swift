import Foundation
import Testing

/// Share links as buyers and tenants use them, end to end over HTTP.
@Suite struct ShareLinkTests {
    @Test func firstShareGivesTheTokenOnceThenAlreadyShared() async throws {
        let h = try APIHarness()
        let acme = try await h.tenant("acme")
        let id = try await h.invoice(acme)
        let first = try await h.send("POST", "/api/invoices/\(id)/share", token: acme.token)
        #expect(first.status == 201)
        let token = try #require(first.json["shareToken"] as? String)
        #expect(token.count == 43)
        #expect(first.json["shareUrl"] as? String == "https://billing.example.com/invoice/\(token)")
        #expect(first.json["alreadyShared"] as? Bool == false)
        let createdAt = try #require(first.json["shareTokenCreatedAt"] as? String)

        let again = try await h.send("POST", "/api/invoices/\(id)/share", token: acme.token)
        #expect(again.status == 200)
        #expect(again.text.contains(#""shareToken":null"#))
        #expect(again.text.contains(#""shareUrl":null"#))
        #expect(again.json["alreadyShared"] as? Bool == true)
        #expect(again.json["shareTokenCreatedAt"] as? String == createdAt)
        // Only the hash is stored.
        let stored = try await h.temp.database.read { db in try db.query("SELECT token_hash FROM links") { $0.blob(0) } }
        #expect(stored.count == 1 && stored[0].count == 32)
        if let path = h.temp.path {  // the whole SQLite file, WAL aside
            #expect(!(try String(contentsOfFile: path, encoding: .isoLatin1).contains(token)))
        }
        await h.stop()
    }

    @Test func regenerateKillsTheOldURLAtOnce() async throws {
        let h = try APIHarness()
        let acme = try await h.tenant("acme")
        let id = try await h.invoice(acme)
        let old = try #require(try await h.send("POST", "/api/invoices/\(id)/share", token: acme.token).json["shareToken"] as? String)
        #expect(try await h.send("GET", "/api/invoices/view/\(old)").status == 200)
        let fresh = try await h.send("POST", "/api/invoices/\(id)/share?regenerate=true", token: acme.token)
        #expect(fresh.status == 201)
        let new = try #require(fresh.json["shareToken"] as? String)
        #expect(new != old)
        #expect(try await h.send("GET", "/api/invoices/view/\(old)").status == 404)
        #expect(try await h.send("GET", "/api/invoices/view/\(new)").status == 200)
        await h.stop()
    }

    @Test func deleteStopsEveryLinkAtOnce() async throws {
        let h = try APIHarness()
        let acme = try await h.tenant("acme")
        let id = try await h.invoice(acme)
        let token = try #require(try await h.send("POST", "/api/invoices/\(id)/share", token: acme.token).json["shareToken"] as? String)
        let deleted = try await h.send("DELETE", "/api/invoices/\(id)/share", token: acme.token)
        #expect(deleted.status == 204)
        #expect(deleted.body.isEmpty)
        #expect(try await h.send("GET", "/api/invoices/view/\(token)").status == 404)
        // Sharing again makes a new link.
        #expect(try await h.send("POST", "/api/invoices/\(id)/share", token: acme.token).status == 201)
        await h.stop()
    }

    @Test func onlyIssuedARInvoicesCanBeShared() async throws {
        let h = try APIHarness()
        let acme = try await h.tenant("acme")
        let draft = try await h.invoice(acme, number: "D-1", issue: false)
        let draftShare = try await h.send("POST", "/api/invoices/\(draft)/share", token: acme.token)
        #expect(draftShare.status == 409)
        #expect(draftShare.errorCode == "invalid_status")
        let payable = try await h.invoice(acme, number: "AP-1", type: "AP")
        let apShare = try await h.send("POST", "/api/invoices/\(payable)/share", token: acme.token)
        #expect(apShare.status == 409)
        #expect(apShare.errorCode == "not_shareable")
        await h.stop()
    }

    @Test func publicViewShowsTheBuyerWhatTheyOweAndNothingInternal() async throws {
        let h = try APIHarness()
        let acme = try await h.tenant("acme")
        let id = try await h.invoice(acme)
        let token = try #require(try await h.send("POST", "/api/invoices/\(id)/share", token: acme.token).json["shareToken"] as? String)
        let view = try await h.send("GET", "/api/invoices/view/\(token)")
        #expect(view.status == 200)
        #expect(Set(view.json.keys) == ["vendorName", "invoiceNumber", "amountDue", "currency", "issueDate", "dueDate", "status", "deliveryStatus"])
        #expect(view.json["vendorName"] as? String == "Acme GmbH")
        #expect(view.json["amountDue"] as? Int == 135_660) // 12 × 95.00 + 19 %
        #expect(view.json["currency"] as? String == "EUR")
        #expect(view.json["status"] as? String == "issued")
        #expect(view.json["deliveryStatus"] as? String == "not_sent")
        #expect(!view.text.contains(token))
        for (name, value) in [("Cache-Control", "no-store"), ("X-Robots-Tag", "noindex"), ("Referrer-Policy", "no-referrer"),
                              ("X-Content-Type-Options", "nosniff")] {
            #expect(view.header(name) == value)
        }
        #expect(view.header("Content-Security-Policy")?.hasPrefix("default-src 'none'") == true)
        await h.stop()
    }

    @Test func unknownRevokedAndMalformedTokensAnswerTheSame404() async throws {
        let h = try APIHarness()
        let acme = try await h.tenant("acme")
        let id = try await h.invoice(acme)
        let revoked = try #require(try await h.send("POST", "/api/invoices/\(id)/share", token: acme.token).json["shareToken"] as? String)
        _ = try await h.send("DELETE", "/api/invoices/\(id)/share", token: acme.token)
        let unknown = String(repeating: "A", count: 43)
        let replies = [
            try await h.send("GET", "/api/invoices/view/\(revoked)"),
            try await h.send("GET", "/api/invoices/view/\(unknown)"),
            try await h.send("GET", "/api/invoices/view/not-a-token"),
            try await h.send("GET", "/api/invoices/view/%00%ff"),
        ]
        for reply in replies {
            #expect(reply.status == 404)
            #expect(reply.body == replies[0].body)
            var headers = reply.headers
            var first = replies[0].headers
            headers.removeValue(forKey: "Date")
            first.removeValue(forKey: "Date")
            #expect(headers == first)
        }
        #expect(replies[0].header("X-Request-Id") == nil)
        await h.stop()
    }

    @Test func shareURLsComeFromTheConfiguredBaseNeverTheHostHeader() async throws {
        let h = try APIHarness()
        let acme = try await h.tenant("acme")
        let id = try await h.invoice(acme)
        let reply = try await h.send("POST", "/api/invoices/\(id)/share", token: acme.token, headers: ["Host": "evil.example", "X-Forwarded-Host": "evil.example"])
        #expect((reply.json["shareUrl"] as? String)?.hasPrefix("https://billing.example.com/") == true)
        await h.stop()
    }

    @Test func cancellingAnInvoiceStopsItsLinks() async throws {
        let h = try APIHarness()
        let acme = try await h.tenant("acme")
        let id = try await h.invoice(acme)
        let token = try #require(try await h.send("POST", "/api/invoices/\(id)/share", token: acme.token).json["shareToken"] as? String)
        #expect(try await h.send("POST", "/api/invoices/\(id)/cancel", token: acme.token).json["status"] as? String == "cancelled")
        #expect(try await h.send("GET", "/api/invoices/view/\(token)").status == 404)
        await h.stop()
    }
}
