import Foundation
import Testing

@Suite struct InvoiceAPITests {
    @Test func createsAnInvoiceWithServerComputedTotalsPerCurrencyExponent() async throws {
        let h = try APIHarness()
        let acme = try await h.tenant("acme")
        let eur = try await h.send("POST", "/api/invoices", token: acme.token, json: h.invoiceJSON(customer: acme.customerID, lines: [
            ["description": "Consulting", "quantity": 12, "unitPrice": 9500, "taxRate": 19],
            ["description": "Half a day", "quantity": 0.5, "unitPrice": 33333, "taxRate": 19],
            ["description": "Books", "quantity": 3, "unitPrice": 1999, "taxRate": 7],
        ]))
        #expect(eur.status == 201)
        // 114000 + 16666.5→16667 + 5997 = 136664; tax 19 % of 130667 = 24826.73→24827, 7 % of 5997 = 419.79→420
        #expect(eur.json["subtotal"] as? Int == 136_664)
        #expect(eur.json["taxTotal"] as? Int == 25_247)
        #expect(eur.json["total"] as? Int == 161_911)
        #expect(eur.json["status"] as? String == "draft")
        #expect(eur.json["amountDue"] as? Int == 161_911)

        let jpy = try await h.send("POST", "/api/invoices", token: acme.token, json: h.invoiceJSON(customer: acme.customerID, number: "JP-1", currency: "jpy", lines: [
            ["description": "Widget", "quantity": 3, "unitPrice": 1234, "taxRate": 10],
        ]))
        #expect(jpy.json["currency"] as? String == "JPY")
        #expect(jpy.json["total"] as? Int == 4072) // 3702 + 370.2→370
        let kwd = try await h.send("POST", "/api/invoices", token: acme.token, json: h.invoiceJSON(customer: acme.customerID, number: "KW-1", currency: "KWD", lines: [
            ["description": "Service", "quantity": 1.25, "unitPrice": 10_001, "taxRate": 5],
        ]))
        // Amounts in 10 fils (EN 16931 allows two decimals): 12501.25→12500 + 625→630.
        #expect(kwd.json["subtotal"] as? Int == 12_500)
        #expect(kwd.json["total"] as? Int == 13_130)
        await h.stop()
    }

    @Test func anIssuedInvoiceCannotBeIssuedAgainAndAPaidOneCannotBeCancelled() async throws {
        let h = try APIHarness()
        let acme = try await h.tenant("acme")
        let id = try await h.invoice(acme)
        let again = try await h.send("POST", "/api/invoices/\(id)/issue", token: acme.token)
        #expect(again.status == 409)
        #expect(again.errorCode == "invalid_status")
        #expect(try await h.send("POST", "/api/invoices/\(id)/cancel", token: acme.token).status == 200)
        #expect(try await h.send("POST", "/api/invoices/\(id)/cancel", token: acme.token).status == 409)
        await h.stop()
    }

    @Test func numbersAreUniquePerTenantAndListsPaginate() async throws {
        let h = try APIHarness()
        let acme = try await h.tenant("acme")
        for n in 1...5 { _ = try await h.invoice(acme, number: "INV-\(n)", issue: false) }
        let duplicate = try await h.send("POST", "/api/invoices", token: acme.token, json: h.invoiceJSON(customer: acme.customerID, number: "INV-3"))
        #expect(duplicate.status == 409)
        #expect(duplicate.errorCode == "duplicate_number")
        let page1 = try await h.send("GET", "/api/invoices?limit=2", token: acme.token)
        #expect((page1.json["data"] as? [[String: Any]])?.compactMap { $0["number"] as? String } == ["INV-5", "INV-4"])
        let next = try #require(page1.json["nextBefore"] as? Int)
        let page2 = try await h.send("GET", "/api/invoices?limit=2&before=\(next)", token: acme.token)
        #expect((page2.json["data"] as? [[String: Any]])?.compactMap { $0["number"] as? String } == ["INV-3", "INV-2"])
        #expect(try await h.send("GET", "/api/invoices?limit=0", token: acme.token).errorField == "limit")
        await h.stop()
    }

    /// Bad requests, each with its status and the field it names.
    @Test func badRequestsGetClearErrors() async throws {
        let h = try APIHarness()
        let acme = try await h.tenant("acme")
        func invoice(_ change: (inout [String: Any]) -> Void) -> [String: Any] {
            var body = h.invoiceJSON(customer: acme.customerID)
            change(&body)
            return body
        }
        let line: [String: Any] = ["description": "x", "quantity": 1, "unitPrice": 100, "taxRate": 19]
        let cases: [(String, Any?, String?, Int, String?)] = [
            ("malformed JSON", nil, #"{"customerId": 1,"#, 400, nil),
            ("empty body", nil, "", 400, nil),
            ("wrong type", invoice { $0["customerId"] = "twelve" }, nil, 422, "customerId"),
            ("missing field", invoice { $0.removeValue(forKey: "currency") }, nil, 422, "currency"),
            ("negative quantity", invoice { $0["lines"] = [line.merging(["quantity": -2]) { $1 }] }, nil, 422, "lines[0].quantity"),
            ("five decimals", invoice { $0["lines"] = [line.merging(["quantity": 1.00001]) { $1 }] }, nil, 422, "lines[0].quantity"),
            ("negative price", invoice { $0["lines"] = [line, line.merging(["unitPrice": -1]) { $1 }] }, nil, 422, "lines[1].unitPrice"),
            ("tax over 100", invoice { $0["lines"] = [line.merging(["taxRate": 101]) { $1 }] }, nil, 422, "lines[0].taxRate"),
            ("unknown currency", invoice { $0["currency"] = "XYZ" }, nil, 422, "currency"),
            ("bad date", invoice { $0["dueDate"] = "2026-02-30" }, nil, 422, "dueDate"),
            ("due before issue", invoice { $0["dueDate"] = "2026-10-01" }, nil, 422, "dueDate"),
            ("no lines", invoice { $0["lines"] = [Any]() }, nil, 422, "lines"),
            ("bad type", invoice { $0["type"] = "XX" }, nil, 422, "type"),
            ("huge amounts", invoice { $0["lines"] = [line.merging(["quantity": 1_000_000, "unitPrice": 999_999_999_999_999]) { $1 }] }, nil, 422, "lines[0]"),
        ]
        for (name, json, raw, status, field) in cases {
            let reply = try await h.send("POST", "/api/invoices", token: acme.token, json: json, rawBody: raw)
            #expect(reply.status == status, "\(name): \(reply.text)")
            #expect(reply.errorField == field, "\(name): \(reply.text)")
            #expect(reply.json["error"] != nil, "\(name) has the error shape")
        }
        let wrongType = try await h.send("POST", "/api/customers", token: acme.token, rawBody: "name=x", headers: ["Content-Type": "text/plain"])
        #expect(wrongType.status == 415)
        let badEmail = try await h.send("POST", "/api/customers", token: acme.token, json: ["name": "X", "email": "not-an-email"])
        #expect(badEmail.status == 422)
        #expect(badEmail.errorField == "email")
        await h.stop()
    }

    @Test func anOversizedBodyIs413() async throws {
        let h = try APIHarness(transport: .live, limits: .init(maxBodyBytes: 4096))
        let acme = try await h.tenant("acme")
        let reply = try await h.send("POST", "/api/customers", token: acme.token, rawBody: "{\"name\": \"" + String(repeating: "x", count: 10_000) + "\"}")
        #expect(reply.status == 413)
        await h.stop()
    }
}

@Suite struct CreditNoteAndDeliveryTests {
    @Test func creditNotesReduceWhatIsDueButNeverBelowZero() async throws {
        let h = try APIHarness()
        let acme = try await h.tenant("acme")
        let id = try await h.invoice(acme) // total 135660
        let note = try await h.send("POST", "/api/invoices/\(id)/credit-notes", token: acme.token,
                                    json: ["number": "CN-1", "amount": 35_660, "reason": "Goodwill"])
        #expect(note.status == 201)
        #expect(note.json["currency"] as? String == "EUR")
        let invoice = try await h.send("GET", "/api/invoices/\(id)", token: acme.token)
        #expect(invoice.json["amountCredited"] as? Int == 35_660)
        #expect(invoice.json["amountDue"] as? Int == 100_000)
        #expect(invoice.json["total"] as? Int == 135_660) // the issued amounts do not change
        let tooMuch = try await h.send("POST", "/api/invoices/\(id)/credit-notes", token: acme.token, json: ["number": "CN-2", "amount": 100_001])
        #expect(tooMuch.status == 422)
        #expect(tooMuch.errorField == "amount")
        let list = try await h.send("GET", "/api/invoices/\(id)/credit-notes", token: acme.token)
        #expect((list.json["data"] as? [[String: Any]])?.compactMap { $0["number"] as? String } == ["CN-1"])
        let draft = try await h.invoice(acme, number: "D-1", issue: false)
        #expect(try await h.send("POST", "/api/invoices/\(draft)/credit-notes", token: acme.token, json: ["number": "CN-3", "amount": 1]).status == 409)
        await h.stop()
    }

    @Test func deliveryStatusCanBeRecordedForAnIssuedInvoice() async throws {
        let h = try APIHarness()
        let acme = try await h.tenant("acme")
        let id = try await h.invoice(acme)
        let sent = try await h.send("PUT", "/api/invoices/\(id)/delivery-status", token: acme.token, json: ["deliveryStatus": "sent"])
        #expect(sent.json["deliveryStatus"] as? String == "sent")
        let bad = try await h.send("PUT", "/api/invoices/\(id)/delivery-status", token: acme.token, json: ["deliveryStatus": "teleported"])
        #expect(bad.status == 422)
        #expect(bad.errorField == "deliveryStatus")
        await h.stop()
    }
}

@Suite struct DraftEditingTests {
    @Test func aDraftCanChangeAnIssuedInvoiceCannot() async throws {
        let h = try APIHarness()
        let acme = try await h.tenant("acme")
        let id = try await h.invoice(acme, issue: false)
        let changed = h.invoiceJSON(customer: acme.customerID, lines: [["description": "Less consulting", "quantity": 2, "unitPrice": 10_000, "taxRate": 0]])
        let updated = try await h.send("PUT", "/api/invoices/\(id)", token: acme.token, json: changed)
        #expect(updated.status == 200)
        #expect(updated.json["total"] as? Int == 20_000)
        #expect((updated.json["lines"] as? [[String: Any]])?.count == 1)
        _ = try await h.send("POST", "/api/invoices/\(id)/issue", token: acme.token)
        let refused = try await h.send("PUT", "/api/invoices/\(id)", token: acme.token, json: h.invoiceJSON(customer: acme.customerID))
        #expect(refused.status == 409)
        #expect(refused.errorCode == "invalid_status")
        #expect(try await h.send("GET", "/api/invoices/\(id)", token: acme.token).json["total"] as? Int == 20_000)
        await h.stop()
    }
}
