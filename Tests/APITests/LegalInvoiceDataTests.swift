import Foundation
import Testing

/// The data a legally complete invoice needs: the seller's company profile, the buyer's address
/// and VAT id, and the invoice's supply time, units, VAT categories, allowances and charges.
@Suite struct LegalInvoiceDataTests {
    nonisolated(unsafe) static let company: [String: Any] = [
        "legalName": "Acme Software GmbH",
        "address": ["lines": ["Hauptstraße 1", "2. OG"], "postalCode": "10115", "city": "Berlin", "country": "de"],
        "vatId": "de 123 456 789", "taxNumber": "27/123/45678", "registration": "HRB 12345, Amtsgericht Berlin",
        "contactName": "Jana Kraus", "contactPhone": "+49 30 1234567", "contactEmail": "billing@acme.example",
        "bankAccount": ["holder": "Acme Software GmbH", "iban": "DE89 3704 0044 0532 0130 00", "bic": "COBADEFFXXX"],
    ]

    @Test func theCompanyProfileStartsEmptySaysWhatIsMissingAndIsKeptPerTenant() async throws {
        let h = try APIHarness()
        let acme = try await h.tenant("acme")
        let globex = try await h.tenant("globex")
        let empty = try await h.send("GET", "/api/settings/company", token: acme.token)
        #expect(empty.status == 200)
        #expect(empty.json["legalName"] is NSNull)
        let eInvoicing = empty.json["eInvoicing"] as? [String: Any]
        #expect(eInvoicing?["available"] as? Bool == false)
        #expect(eInvoicing?["missing"] as? [String] == ["legalName", "address", "vatId or taxNumber"])

        let saved = try await h.send("PATCH", "/api/settings/company", token: acme.token, json: Self.company)
        #expect(saved.status == 200)
        #expect(saved.json["vatId"] as? String == "DE123456789")
        #expect((saved.json["address"] as? [String: Any])?["country"] as? String == "DE")
        #expect((saved.json["bankAccount"] as? [String: Any])?["iban"] as? String == "DE89370400440532013000")
        #expect((saved.json["eInvoicing"] as? [String: Any])?["available"] as? Bool == true)

        let reread = try await h.send("GET", "/api/settings/company", token: acme.token)
        #expect(reread.json["registration"] as? String == "HRB 12345, Amtsgericht Berlin")
        let other = try await h.send("GET", "/api/settings/company", token: globex.token)
        #expect(other.json["legalName"] is NSNull)

        let cleared = try await h.send("PATCH", "/api/settings/company", token: acme.token, json: ["bankAccount": NSNull()])
        #expect(cleared.json["bankAccount"] is NSNull)
        #expect(cleared.json["legalName"] as? String == "Acme Software GmbH")
        await h.stop()
    }

    @Test func badCompanyDataIs422NamingTheField() async throws {
        let h = try APIHarness()
        let acme = try await h.tenant("acme")
        let cases: [([String: Any], String)] = [
            (["bankAccount": ["holder": "Acme", "iban": "DE89 3704 0044 0532 0130 01"]], "bankAccount.iban"),
            (["bankAccount": ["holder": "Acme", "iban": "DE89 3704 0044 0532 0130 00", "bic": "COBA"]], "bankAccount.bic"),
            (["vatId": "DE12345"], "vatId"),
            (["vatId": "GR123456789"], "vatId"),
            (["address": ["lines": ["Street 1"], "city": "Berlin", "country": "Germany"]], "address.country"),
            (["address": ["lines": [], "city": "Berlin", "country": "DE"]], "address.lines"),
            (["address": ["lines": ["Line\nbreak"], "city": "Berlin", "country": "DE"]], "address.lines[0]"),
            (["contactEmail": "not-an-address"], "contactEmail"),
            (["contactPhone": "call me"], "contactPhone"),
            (["legalName": String(repeating: "x", count: 201)], "legalName"),
        ]
        for (body, field) in cases {
            let reply = try await h.send("PATCH", "/api/settings/company", token: acme.token, json: body)
            #expect(reply.status == 422, "\(body)")
            #expect(reply.errorField == field, "\(body): \(reply.text)")
        }
        let unknown = try await h.send("PATCH", "/api/settings/company", token: acme.token, json: ["iban": "DE89370400440532013000"])
        #expect(unknown.status == 422)
        let after = try await h.send("GET", "/api/settings/company", token: acme.token)
        #expect(after.json["vatId"] is NSNull)
        await h.stop()
    }

    @Test func customersCarryAddressVATIdAndBuyerReference() async throws {
        let h = try APIHarness()
        let acme = try await h.tenant("acme")
        let created = try await h.send("POST", "/api/customers", token: acme.token, json: [
            "name": "Stadt Musterhausen", "email": "rechnung@musterhausen.example", "vatId": "FR 12 345678901",
            "buyerReference": "04011000-12345-67",
            "address": ["lines": ["Rathausplatz 1"], "postalCode": "12345", "city": "Musterhausen", "country": "FR"],
        ])
        #expect(created.status == 201)
        #expect(created.json["vatId"] as? String == "FR12345678901")
        #expect(created.json["buyerReference"] as? String == "04011000-12345-67")
        let id = try #require(created.json["id"] as? Int)
        let badVAT = try await h.send("PATCH", "/api/customers/\(id)", token: acme.token, json: ["vatId": "FR123"])
        #expect(badVAT.status == 422)
        #expect(badVAT.errorField == "vatId")
        let cleared = try await h.send("PATCH", "/api/customers/\(id)", token: acme.token, json: ["vatId": NSNull()])
        #expect(cleared.json["vatId"] == nil)
        #expect((cleared.json["address"] as? [String: Any])?["city"] as? String == "Musterhausen")
        let erased = try await h.send("POST", "/api/customers/\(id)/erase", token: acme.token)
        #expect(erased.json["address"] == nil)
        #expect(erased.json["buyerReference"] == nil)
        await h.stop()
    }

    @Test func invoicesCarryUnitsVATCategoriesAllowancesAndTheSupplyTime() async throws {
        let h = try APIHarness()
        let acme = try await h.tenant("acme")
        var body = h.invoiceJSON(customer: acme.customerID, lines: [
            ["description": "Consulting", "quantity": 10, "unitPrice": 10_000, "taxRate": 19, "unitCode": "HUR"],
            ["description": "Books", "quantity": 2, "unitPrice": 2_500, "taxRate": 7, "vatCategory": "S"],
            ["description": "Insurance", "quantity": 1, "unitPrice": 5_000, "vatCategory": "E", "exemptionReason": "Exempt under § 4 Nr. 10 UStG"],
        ])
        body["servicePeriod"] = ["start": "2026-10-01", "end": "2026-10-31"]
        body["paymentTerms"] = "Payable within 14 days without deduction."
        body["allowanceCharges"] = [
            ["kind": "allowance", "amount": 10_000, "reason": "Loyalty discount", "vatCategory": "S", "taxRate": 19],
            ["kind": "charge", "amount": 500, "reason": "Shipping", "vatCategory": "S", "taxRate": 7],
        ]
        let created = try await h.send("POST", "/api/invoices", token: acme.token, json: body)
        #expect(created.status == 201, "\(created.text)")
        // 19 %: 100000 − 10000 = 90000 → 17100; 7 %: 5000 + 500 = 5500 → 385; E: 5000 → 0.
        #expect(created.json["subtotal"] as? Int == 110_000)
        #expect(created.json["allowanceTotal"] as? Int == 10_000)
        #expect(created.json["chargeTotal"] as? Int == 500)
        #expect(created.json["taxBasis"] as? Int == 100_500)
        #expect(created.json["taxTotal"] as? Int == 17_485)
        #expect(created.json["total"] as? Int == 117_985)
        let taxes = try #require(created.json["taxes"] as? [[String: Any]])
        #expect(taxes.map { "\($0["category"]!) \($0["rate"]!) \($0["base"]!) \($0["amount"]!)" } == ["S 7 5500 385", "S 19 90000 17100", "E 0 5000 0"])
        #expect(taxes.last?["exemptionReason"] as? String == "Exempt under § 4 Nr. 10 UStG")
        #expect((created.json["lines"] as? [[String: Any]])?.first?["unitCode"] as? String == "HUR")
        #expect((created.json["servicePeriod"] as? [String: Any])?["end"] as? String == "2026-10-31")
        #expect(created.json["paymentTerms"] as? String == "Payable within 14 days without deduction.")

        // A partial update keeps what it does not name.
        let id = try #require(created.json["id"] as? Int)
        let patched = try await h.send("PATCH", "/api/invoices/\(id)", token: acme.token, json: ["notes": "Thank you"])
        #expect(patched.json["total"] as? Int == 117_985)
        #expect((patched.json["allowanceCharges"] as? [Any])?.count == 2)
        #expect((patched.json["lines"] as? [[String: Any]])?.last?["vatCategory"] as? String == "E")
        await h.stop()
    }

    @Test func theVATRulesOfEN16931Are422NamingTheField() async throws {
        let h = try APIHarness()
        let acme = try await h.tenant("acme")
        func create(_ lines: [[String: Any]], extra: [String: Any] = [:], number: String = "X-1") async throws -> APIHarness.Reply {
            var body = h.invoiceJSON(customer: acme.customerID, number: number, lines: lines)
            body.merge(extra) { $1 }
            return try await h.send("POST", "/api/invoices", token: acme.token, json: body)
        }
        let line: [String: Any] = ["description": "Work", "quantity": 1, "unitPrice": 1000]
        let cases: [([[String: Any]], [String: Any], String)] = [
            ([line.merging(["vatCategory": "S", "taxRate": 0]) { $1 }], [:], "lines[0].taxRate"),
            ([line.merging(["vatCategory": "AE", "taxRate": 19]) { $1 }], [:], "lines[0].taxRate"),
            ([line.merging(["vatCategory": "E"]) { $1 }], [:], "lines[0].exemptionReason"),
            ([line.merging(["vatCategory": "S", "taxRate": 19, "exemptionReason": "no"]) { $1 }], [:], "lines[0].exemptionReason"),
            ([line.merging(["vatCategory": "X"]) { $1 }], [:], "lines[0].vatCategory"),
            ([line.merging(["unitCode": "XYZ1"]) { $1 }], [:], "lines[0].unitCode"),
            ([line.merging(["vatCategory": "O"]) { $1 }, line.merging(["taxRate": 19]) { $1 }], [:], "lines[1].vatCategory"),
            ([line.merging(["vatCategory": "K"]) { $1 }], [:], "supplyDate"),
            ([line], ["servicePeriod": ["start": "2026-10-31", "end": "2026-10-01"]], "servicePeriod.end"),
            ([line], ["supplyDate": "2026-10-31", "servicePeriod": ["start": "2026-10-01", "end": "2026-10-31"]], "servicePeriod"),
            ([line], ["allowanceCharges": [["kind": "allowance", "amount": 5000, "reason": "Too much", "vatCategory": "Z"]]], "allowanceCharges"),
            ([line], ["allowanceCharges": [["kind": "rebate", "amount": 5, "reason": "x"]]], "allowanceCharges[0].kind"),
            // Reverse charge needs both VAT ids: the tenant has none yet.
            ([line.merging(["vatCategory": "AE"]) { $1 }], [:], "vatCategory"),
        ]
        for (lines, extra, field) in cases {
            let reply = try await create(lines, extra: extra)
            #expect(reply.status == 422, "\(field): \(reply.text)")
            #expect(reply.errorField == field, "\(field): \(reply.text)")
        }
        // With both VAT ids, reverse charge is accepted and carries its note.
        _ = try await h.send("PATCH", "/api/settings/company", token: acme.token, json: ["vatId": "DE123456789"])
        let noBuyerID = try await create([line.merging(["vatCategory": "AE"]) { $1 }])
        #expect(noBuyerID.errorField == "customerId")
        _ = try await h.send("PATCH", "/api/customers/\(acme.customerID)", token: acme.token, json: ["vatId": "ATU12345678"])
        let reverse = try await create([line.merging(["vatCategory": "AE"]) { $1 }])
        #expect(reverse.status == 201, "\(reverse.text)")
        let tax = (reverse.json["taxes"] as? [[String: Any]])?.first
        #expect(tax?["category"] as? String == "AE")
        #expect(tax?["exemptionReason"] as? String == "Reverse charge: VAT to be accounted for by the recipient")
        await h.stop()
    }

    @Test func anIssuedInvoiceKeepsTheSellerAndBuyerItWasIssuedTo() async throws {
        let h = try APIHarness()
        let acme = try await h.tenant("acme")
        _ = try await h.send("PATCH", "/api/settings/company", token: acme.token, json: Self.company)
        let address: [String: Any] = ["lines": ["Marienplatz 8"], "postalCode": "80331", "city": "München", "country": "DE"]
        _ = try await h.send("PATCH", "/api/customers/\(acme.customerID)", token: acme.token, json: ["address": address, "vatId": "ATU12345678"])
        let id = try await h.invoice(acme)
        let draft = try await h.invoice(acme, number: "INV-2", issue: false)

        var moved = Self.company
        moved["address"] = ["lines": ["Jungfernstieg 1"], "postalCode": "20095", "city": "Hamburg", "country": "DE"]
        moved["bankAccount"] = ["holder": "Acme Software GmbH", "iban": "GB29 NWBK 6016 1331 9268 19"]
        _ = try await h.send("PATCH", "/api/settings/company", token: acme.token, json: moved)
        _ = try await h.send("PATCH", "/api/customers/\(acme.customerID)", token: acme.token, json: ["address": NSNull()])

        let tenantID = try #require(try await h.stores.tenants.tenant(slug: "acme")).id
        let issued = try #require(try await h.stores.invoices.invoice(tenantID: tenantID, id: id))
        #expect(issued.parties?.seller.address?.city == "Berlin")
        #expect(issued.parties?.seller.vatID?.value == "DE123456789")
        #expect(issued.parties?.bankAccount?.iban.value == "DE89370400440532013000")
        #expect(issued.parties?.buyer.address?.city == "München")
        #expect(issued.parties?.buyer.vatID?.value == "ATU12345678")
        let unissued = try #require(try await h.stores.invoices.invoice(tenantID: tenantID, id: draft))
        #expect(unissued.parties == nil, "a draft shows the parties as they are now")
        await h.stop()
    }
}
