import Foundation
import Testing

/// A body that is valid JSON but not what the route takes is a 422 naming the field in words;
/// only a body that is not JSON at all is a 400.
@Suite struct DecodingAnswerTests {
    /// No runtime text reaches a client.
    func expectPlainWords(_ reply: APIHarness.Reply, sourceLocation: SourceLocation = #_sourceLocation) {
        for word in ["Cannot initialize", "Swift", "DecodingError", "Int64", "codingPath", "Parsed JSON"] {
            #expect(!reply.text.contains(word), "\(reply.text)", sourceLocation: sourceLocation)
        }
    }

    @Test func aDecimalInAMoneyFieldIs422NamingTheFieldInMinorUnits() async throws {
        let h = try APIHarness()
        let acme = try await h.tenant("acme")
        let lines: [[String: Any]] = [["description": "Consulting", "quantity": 1, "unitPrice": 1.5, "taxRate": 19]]
        let invoice = try await h.send("POST", "/api/invoices", token: acme.token, json: h.invoiceJSON(customer: acme.customerID, lines: lines))
        #expect(invoice.status == 422)
        #expect(invoice.errorCode == "invalid_field")
        #expect(invoice.errorField == "lines[0].unitPrice")
        #expect(invoice.text.contains("lines[0].unitPrice must be an integer amount in minor units (e.g. 150 for 1.50)"))
        expectPlainWords(invoice)
        var minimum = h.invoiceJSON(customer: acme.customerID)
        minimum["minimumPaymentAmount"] = 10.25
        let partial = try await h.send("POST", "/api/invoices", token: acme.token, json: minimum)
        #expect(partial.status == 422)
        #expect(partial.errorField == "minimumPaymentAmount")
        let id = try await h.invoice(acme)
        let credit = try await h.send("POST", "/api/invoices/\(id)/credit-notes", token: acme.token, json: ["number": "CN-1", "amount": 99.9])
        #expect(credit.status == 422)
        #expect(credit.errorField == "amount")
        #expect(credit.text.contains("integer amount in minor units"))
        let order = try await h.send("POST", "/api/sales-orders", token: acme.token,
                                     json: ["customerId": acme.customerID, "number": "SO-1", "currency": "EUR", "total": "12.00", "orderDate": "2026-11-01"])
        #expect(order.status == 422)
        #expect(order.errorField == "total")
        expectPlainWords(order)
        await h.stop()
    }

    @Test func aBadEnumMissingKeyOrWrongTypeIsExplainedWithoutRuntimeText() async throws {
        let h = try APIHarness()
        let acme = try await h.tenant("acme")
        let created = try await h.send("POST", "/api/sales-orders", token: acme.token,
                                       json: ["customerId": acme.customerID, "number": "SO-1", "currency": "EUR", "total": 1200, "orderDate": "2026-11-01"])
        let order = try #require(created.json["id"] as? Int)
        let shipped = try await h.send("PUT", "/api/sales-orders/\(order)/status", token: acme.token, json: ["status": "shipped"])
        #expect(shipped.status == 422)
        #expect(shipped.errorField == "status")
        #expect(shipped.text.contains("status must be one of: open, confirmed, fulfilled, cancelled"))
        expectPlainWords(shipped)
        let category = try await h.send("POST", "/api/customers/\(acme.customerID)/email", token: acme.token, json: ["category": "spam"])
        #expect(category.status == 422)
        #expect(category.errorField == "category")
        #expect(category.text.contains("must be one of: document, reminder, portal, marketing"))
        var body = h.invoiceJSON(customer: acme.customerID)
        body.removeValue(forKey: "number")
        let missing = try await h.send("POST", "/api/invoices", token: acme.token, json: body)
        #expect(missing.status == 422)
        #expect(missing.errorField == "number")
        #expect(missing.text.contains("number is required"))
        body["number"] = 17
        let wrongType = try await h.send("POST", "/api/invoices", token: acme.token, json: body)
        #expect(wrongType.status == 422)
        #expect(wrongType.text.contains("number must be a string"))
        body["number"] = "INV-9"
        body["currency"] = "XYZ"
        let currency = try await h.send("POST", "/api/invoices", token: acme.token, json: body)
        #expect(currency.status == 422)
        #expect(currency.errorField == "currency")
        body["currency"] = "EUR"
        body["customerId"] = 1.5
        let fraction = try await h.send("POST", "/api/invoices", token: acme.token, json: body)
        #expect(fraction.status == 422)
        #expect(fraction.errorCode == "invalid_field")
        #expect(fraction.text.contains("must be a whole number"))
        for reply in [missing, wrongType, currency, fraction] { expectPlainWords(reply) }
        let broken = try await h.send("POST", "/api/invoices", token: acme.token, rawBody: #"{"customerId": 1,"#)
        #expect(broken.status == 400)
        #expect(broken.errorCode == "invalid_json")
        await h.stop()
    }
}
