import Billing
import Foundation
import Relational
import SQLite
import Testing
import TestSupport

/// The tenant's customer records through the real server: the list and its search, partial
/// updates, deletion and erasure of personal data.
@Suite struct CustomerRouteTests {
    @Test func theListPagesNewestFirstAndSearchMatchesNameOrEmailIgnoringCase() async throws {
        let h = try APIHarness()
        let acme = try await h.tenant("acme")
        for (name, email) in [("Müller GmbH", "buchhaltung@mueller.example"), ("Anna Schmidt", "anna@schmidt.example"),
                              ("Bob Builder", "BOB@builders.example")] {
            #expect(try await h.send("POST", "/api/customers", token: acme.token, json: ["name": name, "email": email]).status == 201)
        }
        let other = try await h.tenant("other")
        _ = other

        let first = try await h.send("GET", "/api/customers?limit=2", token: acme.token)
        let names = (first.json["data"] as? [[String: Any]])?.compactMap { $0["name"] as? String }
        #expect(names == ["Bob Builder", "Anna Schmidt"])
        let next = try #require(first.json["nextBefore"] as? Int)
        let second = try await h.send("GET", "/api/customers?limit=2&before=\(next)", token: acme.token)
        #expect((second.json["data"] as? [[String: Any]])?.compactMap { $0["name"] as? String } == ["Müller GmbH", "Zoë Buyer"])
        let last = try await h.send("GET", "/api/customers?limit=2&before=\(try #require(second.json["nextBefore"] as? Int))", token: acme.token)
        #expect((last.json["data"] as? [Any])?.isEmpty == true && last.json["nextBefore"] == nil)

        func search(_ q: String) async throws -> [String] {
            let reply = try await h.send("GET", "/api/customers?q=\(q.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)", token: acme.token)
            return (reply.json["data"] as? [[String: Any]])?.compactMap { $0["name"] as? String } ?? []
        }
        #expect(try await search("müller") == ["Müller GmbH"])
        #expect(try await search("MUELLER") == ["Müller GmbH"])   // the email
        #expect(try await search("bob@") == ["Bob Builder"])
        #expect(try await search("zoe") == ["Zoë Buyer"])          // accents ignored
        #expect(try await search("nobody").isEmpty)
        // Another tenant's customers never match.
        #expect(try await h.send("GET", "/api/customers?q=zo", token: other.token).json["data"].map { ($0 as? [Any])?.count } == 1)

        let long = try await h.send("GET", "/api/customers?q=\(String(repeating: "a", count: 101))", token: acme.token)
        #expect(long.status == 422 && long.errorField == "q")
        let blank = try await h.send("GET", "/api/customers?q=%20", token: acme.token)
        #expect(blank.status == 422 && blank.errorField == "q")
        let unknown = try await h.send("GET", "/api/customers?name=x", token: acme.token)
        #expect(unknown.status == 422 && unknown.errorCode == "unknown_field")
    }

    @Test func aSearchExaminesABoundedNumberOfCustomersAndSaysWhereToGoOn() async throws {
        let h = try APIHarness()
        let acme = try await h.tenant("acme")
        let tenantID = try #require(try await h.stores.tenants.tenant(slug: "acme")).id
        try await h.database.write { db in
            try db.execute("""
                WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2500)
                INSERT INTO customers (tenant_id, name, email, created_at) SELECT ?, 'Filler ' || i, 'f' || i || '@example.com', 0 FROM n
                """, tenantID)
        }
        // Zoë is older than every filler: the first request stops after the bounded scan.
        var cursor: Int? = nil
        var found: [String] = []
        var requests = 0
        repeat {
            let reply = try await h.send("GET", "/api/customers?q=zo%C3%AB" + (cursor.map { "&before=\($0)" } ?? ""), token: acme.token)
            #expect(reply.status == 200)
            found += (reply.json["data"] as? [[String: Any]])?.compactMap { $0["name"] as? String } ?? []
            cursor = reply.json["nextBefore"] as? Int
            requests += 1
        } while cursor != nil && requests < 5
        #expect(found == ["Zoë Buyer"] && requests == 2)
        _ = acme
    }

    @Test func patchChangesOnlyWhatItSendsAndRefusesBadOrUnknownFields() async throws {
        let h = try APIHarness()
        let acme = try await h.tenant("acme")
        let path = "/api/customers/\(acme.customerID)"
        let renamed = try await h.send("PATCH", path, token: acme.token, json: ["name": "  Zoë B. Buyer ", "preferences": ["marketing": true]])
        #expect(renamed.status == 200 && renamed.json["name"] as? String == "Zoë B. Buyer")
        #expect(renamed.json["email"] as? String == "zoe@acme.example")
        #expect(renamed.json["preferences"] as? [String: Bool] == ["document": true, "reminder": true, "marketing": true])

        let badEmail = try await h.send("PATCH", path, token: acme.token, json: ["email": "not-an-address"])
        #expect(badEmail.status == 422 && badEmail.errorCode == "invalid_field" && badEmail.errorField == "email")
        let nullName = try await h.send("PATCH", path, token: acme.token, rawBody: #"{"name": null}"#)
        #expect(nullName.status == 422 && nullName.errorField == "name")
        let unknown = try await h.send("PATCH", path, token: acme.token, json: ["phone": "123"])
        #expect(unknown.status == 422 && unknown.errorCode == "unknown_field" && unknown.errorField == "phone")
        let nested = try await h.send("PATCH", path, token: acme.token, json: ["preferences": ["sms": true]])
        #expect(nested.status == 422 && nested.errorField == "preferences.sms")
        #expect(try await h.send("GET", path, token: acme.token).json["name"] as? String == "Zoë B. Buyer")
        // A change of the toggles is an event for the tenant's systems; a change of the name alone is not.
        #expect(try await h.send("PATCH", path, token: acme.token, json: ["name": "Zoë Buyer"]).status == 200)
        let events = try h.temp.database.readBlocking { db in try db.query("SELECT type FROM webhook_events") { $0.string(0) } }
        #expect(events == ["customer.preferences_changed"])

        let other = try await h.tenant("other")
        #expect(try await h.send("PATCH", path, token: other.token, json: ["name": "Mine"]).status == 404)
        #expect(try await h.send("PATCH", path, token: h.token("acme", perms: []), json: ["name": "Mine"]).status == 403)
    }

    @Test func deleteIsRefusedWhileInvoicesExistAndRemovesACustomerWithout() async throws {
        let h = try APIHarness()
        let acme = try await h.tenant("acme")
        _ = try await h.invoice(acme, issue: false)
        let refused = try await h.send("DELETE", "/api/customers/\(acme.customerID)", token: acme.token)
        #expect(refused.status == 409 && refused.errorCode == "customer_has_invoices")
        #expect(try await h.send("GET", "/api/customers/\(acme.customerID)", token: acme.token).status == 200)

        let lone = try #require(try await h.send("POST", "/api/customers", token: acme.token, json: ["name": "Lone", "email": "lone@example.com"])
            .json["id"] as? Int)
        #expect(try await h.send("POST", "/api/customers/\(lone)/portal-token", token: acme.token).status == 201)
        let other = try await h.tenant("other")
        #expect(try await h.send("DELETE", "/api/customers/\(lone)", token: other.token).status == 404)
        #expect(try await h.send("DELETE", "/api/customers/\(lone)", token: acme.token).status == 204)
        #expect(try await h.send("GET", "/api/customers/\(lone)", token: acme.token).status == 404)
        #expect(try await h.send("DELETE", "/api/customers/\(lone)", token: acme.token).status == 404)
    }

    @Test func eraseRemovesPersonalDataKeepsTheInvoicesAndStopsEveryEmail() async throws {
        let h = try APIHarness()
        let acme = try await h.tenant("acme")
        let tenantID = try #require(try await h.stores.tenants.tenant(slug: "acme")).id
        let invoiceID = try await h.invoice(acme)
        let emailLink = try await h.stores.links.createEmailLink(tenantID: tenantID, invoiceID: invoiceID, recipient: "zoe@acme.example")
        try await h.stores.views.insertViews([
            ViewRecord(key: "v1", tenantID: tenantID, invoiceID: invoiceID, linkID: nil, source: .link, ip: "203.0.113.9",
                       userAgent: "Mozilla/5.0 (Zoë's phone)", viewedAt: Date()),
        ])
        try await h.stores.views.aggregateViews(window: .seconds(1800))
        #expect(try await h.send("PATCH", "/api/settings/portal", token: acme.token, json: ["allowMessages": true]).status == 200)
        _ = try await h.stores.salesOrders.addCustomerMessage(tenantID: tenantID, customerID: acme.customerID, text: "Call me on +49 170 1234567")
        let log = try await h.stores.emails.beginEmail(key: "k1", tenantID: tenantID, invoiceID: invoiceID, customerID: acme.customerID,
                                                       category: .document, recipient: "zoe@acme.example")
        try await h.stores.emails.finishEmail(id: log.id, status: .sent, detail: "250 OK <zoe@acme.example>", messageID: nil)
        let portal = try #require(try await h.send("POST", "/api/customers/\(acme.customerID)/portal-token", token: acme.token).json["token"] as? String)
        let share = try #require(try await h.send("POST", "/api/invoices/\(invoiceID)/share", token: acme.token).json["shareToken"] as? String)

        #expect(try await h.send("POST", "/api/customers/\(acme.customerID)/erase", token: h.token("acme", perms: ["invoices:write"])).status == 403)
        let erased = try await h.send("POST", "/api/customers/\(acme.customerID)/erase", token: acme.token)
        #expect(erased.status == 200 && erased.json["name"] as? String == "Erased customer")
        #expect(erased.json["email"] as? String == "erased-\(acme.customerID)@erased.invalid" && erased.json["erasedAt"] is String)
        #expect(try await h.send("POST", "/api/customers/\(acme.customerID)/erase", token: acme.token).status == 200)

        // Kept: the invoice with its number and amounts.
        let invoice = try await h.send("GET", "/api/invoices/\(invoiceID)", token: acme.token)
        #expect(invoice.status == 200 && invoice.json["number"] as? String == "INV-1" && invoice.json["total"] as? Int == 135_660)
        // Gone: addresses and user agents of views, message text, recipients, the portal link.
        let views = try await h.send("GET", "/api/invoices/\(invoiceID)/views", token: acme.token).json["data"] as? [[String: Any]]
        #expect(views?.count == 1 && views?.first?["ip"] as? String == "" && views?.first?["userAgent"] == nil)
        // A view recorded just before the erasure and written after it keeps no address either.
        try await h.stores.views.insertViews([
            ViewRecord(key: "v2", tenantID: tenantID, invoiceID: invoiceID, linkID: nil, source: .link, ip: "203.0.113.10",
                       userAgent: "Mozilla/5.0", viewedAt: Date()),
        ])
        let late = try await h.send("GET", "/api/invoices/\(invoiceID)/views", token: acme.token).json["data"] as? [[String: Any]]
        #expect(late?.count == 2 && late?.allSatisfy { $0["ip"] as? String == "" && $0["userAgent"] == nil } == true)
        let addresses = try h.temp.database.readBlocking { db in
            try db.queryOne("SELECT count(*) FROM view_addresses WHERE invoice_id = ?", invoiceID) { $0.int(0) }
        }
        #expect(addresses == 0)
        let messages = try await h.send("GET", "/api/messages", token: acme.token).json["data"] as? [[String: Any]]
        #expect(messages?.count == 1 && !(messages?.description.contains("1234567") ?? true))
        let emails = try await h.send("GET", "/api/customers/\(acme.customerID)/emails", token: acme.token)
        #expect(!emails.text.contains("zoe@") && emails.text.contains("\"recipient\":\"erased\""))
        // The events told about the customer keep type and time; their data is only a marker now.
        let events = try h.temp.database.readBlocking { db in
            try db.query("SELECT type, body FROM webhook_events WHERE tenant_id = ? ORDER BY id", tenantID) { ($0.string(0), $0.string(1)) }
        }
        #expect(Set(events.map(\.0)).isSuperset(of: ["invoice.viewed", "portal.message_received", "email.sent", "invoice.shared"]))
        for (type, body) in events {
            #expect(!body.contains("Zo") && !body.contains("1234567") && !body.contains("Mozilla"), "\(type): \(body)")
            #expect(body.contains("\"data\":{\"customerId\":\(acme.customerID),\"erased\":true}"), "\(type): \(body)")
        }
        let recipients = try h.temp.database.readBlocking { db in
            try db.query("SELECT recipient FROM links WHERE invoice_id = ? AND recipient IS NOT NULL", invoiceID) { $0.string(0) }
        }
        #expect(recipients.isEmpty)
        #expect(try await h.send("GET", "/api/portal/\(portal)").status == 404)
        #expect(try await h.send("GET", "/api/invoices/view/\(share)").status == 404)
        #expect(try await h.send("GET", "/invoice/\(emailLink)").status == 404)

        // No email goes out any more: refused when asked, and a name or address cannot come back.
        let send = try await h.send("POST", "/api/invoices/\(invoiceID)/send", token: acme.token)
        #expect(send.status == 409 && send.errorCode == "customer_erased")
        let portalMail = try await h.send("POST", "/api/customers/\(acme.customerID)/email", token: acme.token, json: ["category": "portal"])
        #expect(portalMail.status == 409 && portalMail.errorCode == "customer_erased")
        let rename = try await h.send("PATCH", "/api/customers/\(acme.customerID)", token: acme.token, json: ["email": "zoe@acme.example"])
        #expect(rename.status == 409 && rename.errorCode == "customer_erased")
        #expect(try await h.send("DELETE", "/api/customers/\(acme.customerID)", token: acme.token).errorCode == "customer_has_invoices")
        #expect(try await h.send("POST", "/api/customers/999999/erase", token: acme.token).status == 404)
    }

    @Test func thePortalEmailAnswerSaysWhatBecomesOfTheLinksHandedOutBefore() async throws {
        let h = try APIHarness()
        let acme = try await h.tenant("acme")
        let handedOut = try #require(try await h.send("POST", "/api/customers/\(acme.customerID)/portal-token", token: acme.token)
            .json["token"] as? String)
        let path = "/api/customers/\(acme.customerID)/email"
        let kept = try await h.send("POST", path, token: acme.token, json: ["category": "portal"])
        #expect(kept.status == 202 && kept.json["existingPortalLinks"] as? String == "kept" && kept.json["jobId"] is Int)
        let revoked = try await h.send("POST", path, token: acme.token, json: ["category": "portal", "revokeExisting": true])
        #expect(revoked.status == 202 && revoked.json["existingPortalLinks"] as? String == "revoked")
        let marketing = try await h.send("POST", path, token: acme.token,
                                         json: ["category": "marketing", "subject": "Offer", "message": "Hi", "revokeExisting": true])
        #expect(marketing.status == 422 && marketing.errorField == "revokeExisting")
        // Queuing changes no link: the job makes the new one and applies the choice when it runs.
        #expect(try await h.send("GET", "/api/portal/\(handedOut)").status == 200)
    }
}
