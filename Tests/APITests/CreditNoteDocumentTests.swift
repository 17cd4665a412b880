import Foundation
import Testing

/// Credit notes are documents: their own number and date, lines with a VAT breakdown (or an
/// amount split into net and VAT at the invoice's one rate), listed in the buyer's portal.
@Suite struct CreditNoteDocumentTests {
    @Test func anAmountIsSplitIntoNetAndVATAtTheInvoicesOneRate() async throws {
        let h = try APIHarness()
        let acme = try await h.tenant("acme")
        let id = try await h.invoice(acme) // 12 × 95.00 at 19 % = 1,356.60
        let note = try await h.send("POST", "/api/invoices/\(id)/credit-notes", token: acme.token,
                                    json: ["number": "CN-1", "amount": 11_900, "reason": "Two hours not worked", "issueDate": "2026-11-15"])
        #expect(note.status == 201, "\(note.text)")
        #expect(note.json["issueDate"] as? String == "2026-11-15")
        #expect(note.json["amount"] as? Int == 11_900)
        #expect(note.json["subtotal"] as? Int == 10_000)
        #expect(note.json["taxTotal"] as? Int == 1_900)
        let line = (note.json["lines"] as? [[String: Any]])?.first
        #expect(line?["description"] as? String == "Two hours not worked")
        #expect(line?["vatCategory"] as? String == "S")
        let invoice = try await h.send("GET", "/api/invoices/\(id)", token: acme.token)
        #expect(invoice.json["amountCredited"] as? Int == 11_900)
        #expect(invoice.json["amountDue"] as? Int == 135_660 - 11_900)

        let listed = try await h.send("GET", "/api/invoices/\(id)/credit-notes", token: acme.token)
        #expect((listed.json["data"] as? [[String: Any]])?.first?["number"] as? String == "CN-1")
        await h.stop()
    }

    @Test func linesCarryTheirOwnRatesAndTheRulesAre422NamingTheField() async throws {
        let h = try APIHarness()
        let acme = try await h.tenant("acme")
        let created = try await h.send("POST", "/api/invoices", token: acme.token, json: h.invoiceJSON(customer: acme.customerID, lines: [
            ["description": "Consulting", "quantity": 10, "unitPrice": 10_000, "taxRate": 19],
            ["description": "Books", "quantity": 2, "unitPrice": 2_500, "taxRate": 7],
        ]))
        let id = try #require(created.json["id"] as? Int)
        _ = try await h.send("POST", "/api/invoices/\(id)/issue", token: acme.token)
        let cases: [([String: Any], String)] = [
            (["number": "CN-1", "amount": 1_000], "lines"),
            (["number": "CN-1"], "amount"),
            (["number": "CN-1", "issueDate": "2026-10-01", "lines": [["description": "Book", "quantity": 1, "unitPrice": 2_500, "taxRate": 7]]], "issueDate"),
            (["number": "CN-1", "amount": 99, "lines": [["description": "Book", "quantity": 1, "unitPrice": 2_500, "taxRate": 7]]], "amount"),
            (["number": "CN-1", "lines": [["description": "Everything twice", "quantity": 2, "unitPrice": 100_000, "taxRate": 19]]], "amount"),
            (["number": "", "amount": 100], "number"),
        ]
        for (body, field) in cases {
            let reply = try await h.send("POST", "/api/invoices/\(id)/credit-notes", token: acme.token, json: body)
            #expect(reply.status == 422, "\(body): \(reply.text)")
            #expect(reply.errorField == field, "\(body): \(reply.text)")
        }
        let book = try await h.send("POST", "/api/invoices/\(id)/credit-notes", token: acme.token, json: [
            "number": "CN-2", "reason": "Damaged book returned",
            "lines": [["description": "Book", "quantity": 1, "unitPrice": 2_500, "taxRate": 7]],
        ])
        #expect(book.status == 201, "\(book.text)")
        #expect(book.json["amount"] as? Int == 2_675)
        let tax = (book.json["taxes"] as? [[String: Any]])?.first
        #expect(tax?["rate"] as? Double == 7 && tax?["amount"] as? Int == 175)
        let again = try await h.send("POST", "/api/invoices/\(id)/credit-notes", token: acme.token, json: ["number": "CN-2", "lines": [
            ["description": "Book", "quantity": 1, "unitPrice": 2_500, "taxRate": 7],
        ]])
        #expect(again.status == 409)
        await h.stop()
    }

    @Test func thePortalListsCreditNotesWithNumberDateAndInvoice() async throws {
        let h = try APIHarness()
        let acme = try await h.tenant("acme")
        let id = try await h.invoice(acme)
        _ = try await h.send("POST", "/api/invoices/\(id)/share", token: acme.token)
        _ = try await h.send("POST", "/api/invoices/\(id)/credit-notes", token: acme.token,
                             json: ["number": "CN-7", "amount": 11_900, "issueDate": "2026-11-20"])
        let token = try #require(try await h.send("POST", "/api/customers/\(acme.customerID)/portal-token", token: acme.token).json["token"] as? String)
        let portal = try await h.send("GET", "/api/portal/\(token)")
        let row = try #require((portal.json["creditNotes"] as? [[String: Any]])?.first)
        #expect(row["number"] as? String == "CN-7")
        #expect(row["issueDate"] as? String == "2026-11-20")
        #expect(row["invoiceNumber"] as? String == "INV-1")
        #expect(row["credited"] as? Int == 11_900)
        let page = try await h.send("GET", "/portal/\(token)").text
        let publicID = try #require(row["publicId"] as? String)
        #expect(page.contains("download>CN-7</a></td><td>2026-11-20</td><td>INV-1</td>") && page.contains("/credit-notes/\(publicID)/pdf"))
        await h.stop()
    }
}
