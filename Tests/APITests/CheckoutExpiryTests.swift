import Documents
import Foundation
import Payments
import TestSupport
import Testing

/// Several checkouts for one invoice: opening one ends the earlier ones at the provider, and
/// money that still arrives beyond the total is shown as an overpayment everywhere.
@Suite(.serialized) struct CheckoutExpiryTests {
    @Test func openingACheckoutExpiresTheInvoicesEarlierOpenCheckoutsAtTheProvider() async throws {
        let rig = try await PaymentRig()
        let invoice = try await rig.invoice(number: "INV-100", totalling: 10_000)
        var sessions: [String] = []
        for amount: Int64 in [2000, 3000, 8000] {
            sessions.append(try #require(try await rig.pay(invoice.token, amount: amount).session))
        }
        let expireCalls = try await rig.fake.requests().filter { $0.method == "POST" && $0.path.hasSuffix("/expire") }.map(\.path)
        #expect(expireCalls == ["/v1/checkout/sessions/\(sessions[0])/expire", "/v1/checkout/sessions/\(sessions[1])/expire"])
        let client = try rig.fake.client()
        #expect(try await client.retrieveCheckoutSession(id: sessions[0]).status == .expired)
        #expect(try await client.retrieveCheckoutSession(id: sessions[1]).status == .expired)
        #expect(try await client.retrieveCheckoutSession(id: sessions[2]).status == .open)
        // The buyer can no longer pay the older ones; the newest settles what it was opened for.
        await #expect(throws: FakeStripeError.self) { try await rig.fake.complete(sessions[0], webhookURL: rig.webhookURL) }
        _ = try await rig.fake.complete(sessions[2], webhookURL: rig.webhookURL)
        let body = try await rig.settled(invoice.id)
        #expect(body["amountPaid"] as? Int == 8000)
        #expect(body["amountDue"] as? Int == 2000)
        #expect(body["amountOverpaid"] as? Int == 0)
        try await rig.stop()
    }

    @Test func moneyBeyondTheTotalIsShownAsOverpaidAndNeverAsANegativeAmountPaid() async throws {
        let rig = try await PaymentRig(renderer: try PDFInvoiceRenderer())
        let invoice = try await rig.invoice(number: "INV-100", totalling: 10_000)
        // Each checkout is paid at the provider before the next opens, but the events are late:
        // too late to expire, so 20 + 30 + 80 arrive on a 100.00 invoice.
        var late: [SignedDelivery] = []
        for amount: Int64 in [2000, 3000] {
            let session = try #require(try await rig.pay(invoice.token, amount: amount).session)
            late.append(try await rig.fake.complete(session))
        }
        try await rig.payAndComplete(invoice.token, amount: 8000)
        for delivery in late { #expect(try await rig.deliver(delivery).status == 200) }
        let body = try await rig.settled(invoice.id)
        #expect(body["status"] as? String == "paid")
        #expect(body["amountPaid"] as? Int == 13_000)
        #expect(body["amountDue"] as? Int == 0)
        #expect(body["amountOverpaid"] as? Int == 3000)
        #expect((body["payments"] as? [[String: Any]])?.compactMap { $0["excess"] as? Int }.reduce(0, +) == 3000)

        let page = try await rig.api.send("GET", "/invoice/\(invoice.token)")
        #expect(page.text.contains("<tr><td>Amount paid</td><td>130.00 EUR</td></tr>"))
        #expect(page.text.contains("<tr><td>Overpaid, to be refunded</td><td>30.00 EUR</td></tr>"))
        #expect(page.text.contains(#"<tr class="due"><td>Amount due</td><td>0.00 EUR</td></tr>"#))
        #expect(!page.text.contains("−130") && !page.text.contains("-130"))

        let token = try #require(try await rig.api.send("POST", "/api/customers/\(rig.tenant.customerID)/portal-token",
                                                        token: rig.tenant.token).json["token"] as? String)
        let portal = try await rig.api.send("GET", "/portal/\(token)")
        #expect(portal.text.contains("overpaid 30.00 EUR, to be refunded"))
        #expect(!portal.text.contains("−130") && !portal.text.contains("-130") && !portal.text.contains("-30.00"))
        let portalJSON = try await rig.api.send("GET", "/api/portal/\(token)")
        let line = (portalJSON.json["invoices"] as? [[String: Any]])?.first
        #expect(line?["amountOverpaid"] as? Int == 3000)
        #expect(line?["amountDue"] as? Int == 0)

        let pdf = try await rig.api.send("GET", "/invoice/\(invoice.token)/pdf")
        #expect(pdf.status == 200)
        let text = try Self.pdfText(pdf.body)
        #expect(text.contains("Amount paid"))
        #expect(text.contains("130.00 EUR"))
        #expect(text.contains("Overpaid, to be refunded"))
        #expect(text.contains("30.00 EUR"))
        #expect(!text.contains("−130") && !text.contains("-130"), "\(text)")
        try await rig.stop()
    }

    /// The PDF's text as poppler's `pdftotext` reads it.
    static func pdfText(_ pdf: Data) throws -> String {
        let dir = TemporaryDirectory()
        let path = dir.file("invoice.pdf")
        try pdf.write(to: URL(fileURLWithPath: path))
        _ = try Spawn.run("/usr/bin/pdftotext", ["-layout", path, dir.file("invoice.txt")])
        return try String(contentsOfFile: dir.file("invoice.txt"), encoding: .utf8)
    }
}
