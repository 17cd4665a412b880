import Foundation
import Testing
import TestSupport

/// One update semantics and one error vocabulary, through the real server: an unknown key is a
/// 422 naming it, a PATCH changes only what it sends, and a status that forbids an action is
/// `invalid_status` on every route.
@Suite struct UpdateSemanticsTests {
    @Test func anUnknownKeyIsA422NamingItOnTenantAndPublicRoutesAndChangesNothing() async throws {
        let h = try APIHarness(transport: .live)
        let acme = try await h.tenant("acme")

        var invoice = h.invoiceJSON(customer: acme.customerID)
        invoice["lines"] = [["description": "Consulting", "quantity": 1, "unitPrice": 100, "colour": "red"]]
        let nested = try await h.send("POST", "/api/invoices", token: acme.token, json: invoice)
        #expect(nested.status == 422 && nested.errorCode == "unknown_field" && nested.errorField == "lines[0].colour")
        #expect(nested.text.contains("description, exemptionReason, quantity, taxRate, unitCode, unitPrice, vatCategory"))
        var topLevel = h.invoiceJSON(customer: acme.customerID)
        topLevel["dueDays"] = 30
        let top = try await h.send("POST", "/api/invoices", token: acme.token, json: topLevel)
        #expect(top.status == 422 && top.errorCode == "unknown_field" && top.errorField == "dueDays")
        #expect((try await h.send("GET", "/api/invoices", token: acme.token).json["data"] as? [Any])?.isEmpty == true)

        let customer = try await h.send("POST", "/api/customers", token: acme.token,
                                        json: ["name": "Max", "email": "max@example.com",
                                               "preferences": ["document": true, "reminder": true, "marketing": false, "newsletter": true]])
        #expect(customer.status == 422 && customer.errorField == "preferences.newsletter")

        _ = try await h.send("PATCH", "/api/settings/branding", token: acme.token, json: ["brandColor": "#1F6FEB"])
        let colour = try await h.send("PATCH", "/api/settings/branding", token: acme.token, json: ["pageSize": "Letter", "colour": "#000000"])
        #expect(colour.status == 422 && colour.errorCode == "unknown_field" && colour.errorField == "colour")
        let branding = try await h.send("GET", "/api/settings/branding", token: acme.token).json
        #expect(branding["pageSize"] as? String == "A4" && branding["brandColor"] as? String == "#1F6FEB")

        let payments = try await h.send("PATCH", "/api/settings/payments", token: acme.token, json: ["secretkey": "sk_test_abc"])
        #expect(payments.status == 422 && payments.errorField == "secretkey")

        // A public route: the customer's message form as JSON.
        #expect(try await h.send("PATCH", "/api/settings/portal", token: acme.token, json: ["allowMessages": true]).status == 200)
        let portal = try #require(try await h.send("POST", "/api/customers/\(acme.customerID)/portal-token", token: acme.token)
            .json["token"] as? String)
        let message = try await h.send("POST", "/api/portal/\(portal)/messages", json: ["message": "Hello", "replyTo": "x@example.com"])
        #expect(message.status == 422 && message.errorCode == "unknown_field" && message.errorField == "replyTo")
        #expect(try await h.send("POST", "/api/portal/\(portal)/messages", json: ["message": "Hello"]).status == 201)
        await h.stop()
    }

    @Test func patchChangesOnlyTheFieldsSentAndNullClearsAnOptionalOne() async throws {
        let h = try APIHarness(transport: .live)
        let acme = try await h.tenant("acme")
        let full = try await h.send("PATCH", "/api/settings/branding", token: acme.token,
                                    json: ["brandColor": "#1F6FEB", "pageSize": "Letter", "paymentInstructions": "IBAN DE00 1234"])
        #expect(full.status == 200)
        let pageOnly = try await h.send("PATCH", "/api/settings/branding", token: acme.token, json: ["pageSize": "A4"])
        #expect(pageOnly.json["pageSize"] as? String == "A4")
        #expect(pageOnly.json["brandColor"] as? String == "#1F6FEB" && pageOnly.json["paymentInstructions"] as? String == "IBAN DE00 1234")
        // PUT is the same partial update: the issue's example no longer erases the colour.
        let put = try await h.send("PUT", "/api/settings/branding", token: acme.token, json: ["pageSize": "Letter"])
        #expect(put.json["pageSize"] as? String == "Letter" && put.json["brandColor"] as? String == "#1F6FEB")
        let cleared = try await h.send("PATCH", "/api/settings/branding", token: acme.token, rawBody: #"{"brandColor": null}"#)
        #expect(cleared.status == 200 && cleared.json["brandColor"] == nil)
        #expect(cleared.json["pageSize"] as? String == "Letter" && cleared.json["paymentInstructions"] as? String == "IBAN DE00 1234")
        let noPage = try await h.send("PATCH", "/api/settings/branding", token: acme.token, rawBody: #"{"pageSize": null}"#)
        #expect(noPage.status == 422 && noPage.errorField == "pageSize")

        _ = try await h.send("PATCH", "/api/settings/portal", token: acme.token, json: ["welcomeMessage": "Hallo!", "allowMessages": true])
        let expiry = try await h.send("PATCH", "/api/settings/portal", token: acme.token, json: ["tokenExpiryDays": 7])
        #expect(expiry.json["tokenExpiryDays"] as? Int == 7)
        #expect(expiry.json["welcomeMessage"] as? String == "Hallo!" && expiry.json["allowMessages"] as? Bool == true)
        let noWelcome = try await h.send("PATCH", "/api/settings/portal", token: acme.token, rawBody: #"{"welcomeMessage": null}"#)
        #expect(noWelcome.status == 200 && noWelcome.json["welcomeMessage"] == nil && noWelcome.json["tokenExpiryDays"] as? Int == 7)
        let nullSwitch = try await h.send("PATCH", "/api/settings/portal", token: acme.token, rawBody: #"{"enabled": null}"#)
        #expect(nullSwitch.status == 422 && nullSwitch.errorField == "enabled")
        #expect(try await h.send("GET", "/api/settings/portal", token: acme.token).json["enabled"] as? Bool == true)
        await h.stop()
    }

    @Test func patchingADraftInvoiceChangesOnlyWhatIsSentAndRecomputesTheTotals() async throws {
        let h = try APIHarness(transport: .live)
        let acme = try await h.tenant("acme")
        var created = h.invoiceJSON(customer: acme.customerID, number: "D-7")
        created["notes"] = "Thank you"
        let id = try #require(try await h.send("POST", "/api/invoices", token: acme.token, json: created).json["id"] as? Int)
        let notes = try await h.send("PATCH", "/api/invoices/\(id)", token: acme.token, json: ["dueDate": "2026-12-24"])
        #expect(notes.status == 200 && notes.json["dueDate"] as? String == "2026-12-24")
        #expect(notes.json["notes"] as? String == "Thank you" && notes.json["number"] as? String == "D-7")
        #expect(notes.json["total"] as? Int == 135_660 && (notes.json["lines"] as? [Any])?.count == 1)
        let lines = try await h.send("PATCH", "/api/invoices/\(id)", token: acme.token,
                                     json: ["lines": [["description": "Workshop", "quantity": 1.5, "unitPrice": 10_000]]])
        #expect(lines.json["total"] as? Int == 15_000 && lines.json["dueDate"] as? String == "2026-12-24")
        let cleared = try await h.send("PATCH", "/api/invoices/\(id)", token: acme.token, rawBody: #"{"notes": null}"#)
        #expect(cleared.status == 200 && cleared.json["notes"] == nil && cleared.json["total"] as? Int == 15_000)
        let early = try await h.send("PATCH", "/api/invoices/\(id)", token: acme.token, json: ["dueDate": "2026-10-01"])
        #expect(early.status == 422 && early.errorField == "dueDate")
        let typo = try await h.send("PATCH", "/api/invoices/\(id)", token: acme.token, json: ["lines": [["description": "X", "quantity": 1, "price": 5]]])
        #expect(typo.status == 422 && typo.errorCode == "unknown_field" && typo.errorField == "lines[0].price")
        #expect(try await h.send("GET", "/api/invoices/\(id)", token: acme.token).json["dueDate"] as? String == "2026-12-24")
        await h.stop()
    }

    @Test func everyStatusThatForbidsAnActionIsInvalidStatusInPlainEnglish() async throws {
        let h = try APIHarness(transport: .live)
        let acme = try await h.tenant("acme")
        let draft = try await h.invoice(acme, number: "D-1", issue: false)
        let refusals: [(String, String, [String: Any]?, String)] = [
            ("POST", "/api/invoices/\(draft)/share", nil, "a draft invoice cannot be shared; issue it first"),
            ("POST", "/api/invoices/\(draft)/send", nil, "a draft invoice cannot be sent; issue it first"),
            ("PUT", "/api/invoices/\(draft)/delivery-status", ["deliveryStatus": "sent"], "a draft invoice cannot be marked as delivered; issue it first"),
            ("POST", "/api/invoices/\(draft)/credit-notes", ["number": "CN-1", "amount": 100], "a draft invoice cannot be credited; issue it first, or edit the draft"),
        ]
        for (method, path, body, message) in refusals {
            let reply = try await h.send(method, path, token: acme.token, json: body)
            #expect(reply.status == 409 && reply.errorCode == "invalid_status", "\(method) \(path): \(reply.text)")
            #expect(reply.text.contains(message), "\(method) \(path): \(reply.text)")
        }
        let issued = try await h.invoice(acme, number: "I-1")
        let edit = try await h.send("PUT", "/api/invoices/\(issued)", token: acme.token, json: h.invoiceJSON(customer: acme.customerID, number: "I-1"))
        #expect(edit.status == 409 && edit.errorCode == "invalid_status")
        #expect(edit.text.contains("an issued invoice cannot be edited; issue a credit note instead"))
        let again = try await h.send("POST", "/api/invoices/\(issued)/issue", token: acme.token)
        #expect(again.errorCode == "invalid_status" && again.text.contains("an issued invoice cannot be issued again"))
        _ = try await h.send("POST", "/api/invoices/\(issued)/cancel", token: acme.token)
        let share = try await h.send("POST", "/api/invoices/\(issued)/share", token: acme.token)
        #expect(share.status == 409 && share.errorCode == "invalid_status" && share.text.contains("a cancelled invoice cannot be shared"))
        await h.stop()
    }
}
