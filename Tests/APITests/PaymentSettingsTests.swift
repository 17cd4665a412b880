import BillportCore
import Foundation
import Payments
import TestSupport
import Testing

/// The tenant's payment settings, who sees "Pay now", the portal's pay route, and what never
/// reaches a response or a log line.
@Suite(.serialized) struct PaymentSettingsTests {
    @Test func keysAreValidatedAndNeverReturnedInFull() async throws {
        let rig = try await PaymentRig(connect: false)
        let token = rig.tenant.token
        let empty = try await rig.api.send("GET", "/api/settings/payments", token: token)
        #expect(empty.json["plan"] as? String == "free")
        #expect(empty.json["connected"] as? Bool == false)
        #expect(empty.json["webhookUrl"] as? String == "https://billing.example.com/webhooks/stripe/acme")

        for (body, field) in [(["plan": "gold"], "plan"), (["secretKey": "pk_live_123"], "secretKey"),
                              (["webhookSecrets": ["whsec_ok12345678", "secret"]], "webhookSecrets[1]")] as [([String: Any], String)] {
            let refused = try await rig.api.send("PUT", "/api/settings/payments", token: token, json: body)
            #expect(refused.status == 422, "\(body)")
            #expect(refused.errorField == field)
        }
        let readOnly = rig.api.token("acme", perms: ["invoices:write"])
        #expect(try await rig.api.send("PUT", "/api/settings/payments", token: readOnly, json: ["plan": "pro"]).status == 403)

        try await rig.setPlan(.pro)
        let set = try await rig.api.send("PUT", "/api/settings/payments", token: token, json: [
            "plan": "pro", "secretKey": FakeStripe.apiKey, "webhookSecrets": [FakeStripe.webhookSecret, "whsec_nextSecret0001"],
        ])
        #expect(set.status == 200)
        #expect(set.json["secretKey"] as? String == "sk_test_…6789")
        #expect(set.json["webhookSecrets"] as? [String] == ["whsec_…et42", "whsec_…0001"])
        #expect(set.json["acceptsOnlinePayments"] as? Bool == true)
        #expect(!set.text.contains(FakeStripe.apiKey) && !set.text.contains(FakeStripe.webhookSecret))

        // Null disconnects.
        let disconnected = try await rig.api.send("PUT", "/api/settings/payments", token: token, json: ["secretKey": NSNull()])
        #expect(disconnected.json["connected"] as? Bool == false)
        // PATCH is the same partial update: the secrets stay until null removes them; a null plan is refused.
        #expect(disconnected.json["webhookSecrets"] as? [String] == ["whsec_…et42", "whsec_…0001"])
        let noSecrets = try await rig.api.send("PATCH", "/api/settings/payments", token: token, json: ["webhookSecrets": NSNull()])
        #expect(noSecrets.status == 200 && noSecrets.json["webhookSecrets"] as? [String] == [] && noSecrets.json["plan"] as? String == "pro")
        let noPlan = try await rig.api.send("PATCH", "/api/settings/payments", token: token, json: ["plan": NSNull()])
        #expect(noPlan.status == 422 && noPlan.errorField == "plan")
        try await rig.stop()
    }

    @Test func withoutProAndAProviderThePageWorksWithNoButtonAndPayIsRefused() async throws {
        let rig = try await PaymentRig(connect: false)
        let invoice = try await rig.invoice()
        let page = try await rig.api.send("GET", "/invoice/\(invoice.token)")
        #expect(page.status == 200)
        #expect(page.text.contains("Download PDF"))
        #expect(!page.text.contains("Pay now"))
        let refused = try await rig.pay(invoice.token)
        #expect(refused.reply.status == 409)
        #expect(refused.reply.errorCode == "payments_unavailable")
        let html = try await rig.api.send("POST", "/invoice/\(invoice.token)/pay", bytes: [],
                                          headers: ["Content-Type": "application/x-www-form-urlencoded"], followRedirects: false)
        #expect(html.status == 409)
        #expect(html.header("Content-Type")?.hasPrefix("text/html") == true)
        #expect(html.text.contains("does not take online payments"))
        #expect(try await rig.fake.requests().isEmpty)
        // A bad link is the usual 404 page; nothing reaches the provider.
        #expect(try await rig.pay("not-a-token").reply.status == 404)
        try await rig.stop()
    }

    @Test func thePortalPaysOneOfTheCustomersInvoicesAndNoOtherCustomers() async throws {
        let rig = try await PaymentRig()
        let invoice = try await rig.invoice(partial: true)
        let body = try await rig.invoiceBody(invoice.id)
        let publicID = try #require(body["publicId"] as? String)
        let portal = try #require(try await rig.api.send("POST", "/api/customers/\(rig.tenant.customerID)/portal-token",
                                                         token: rig.tenant.token).json["token"] as? String)
        let listed = try await rig.api.send("GET", "/api/portal/\(portal)")
        #expect((listed.json["invoices"] as? [[String: Any]])?.first?["payable"] as? Bool == true)
        #expect(try await rig.api.send("GET", "/portal/\(portal)").text.contains(#">Pay</a>"#))
        let page = try await rig.api.send("GET", "/portal/\(portal)/invoices/\(publicID)")
        #expect(page.text.contains(#"action="/portal/\#(portal)/invoices/\#(publicID)/pay""#))
        #expect(page.text.contains(#"<input id="amount" name="amount" inputmode="decimal" autocomplete="off" value="1,356.60">"#))

        let form = try await rig.api.send("POST", "/portal/\(portal)/invoices/\(publicID)/pay", rawBody: nil, bytes: Array("amount=500.00".utf8),
                                          headers: ["Content-Type": "application/x-www-form-urlencoded"], followRedirects: false)
        #expect(form.status == 303)
        let created = try #require(try await rig.fake.requests().last)
        #expect(created.field("line_items[0][price_data][unit_amount]") == "50000")
        #expect(created.field("cancel_url") == "https://billing.example.com/portal/\(portal)/invoices/\(publicID)")

        let typo = try await rig.api.send("POST", "/portal/\(portal)/invoices/\(publicID)/pay", bytes: Array("amount=5O0".utf8),
                                          headers: ["Content-Type": "application/x-www-form-urlencoded"], followRedirects: false)
        #expect(typo.status == 422)
        #expect(typo.text.contains("amount must be an amount in EUR like 50.00"))

        // Another tenant's customer with a portal of their own cannot pay this invoice.
        let other = try await rig.api.tenant("globex")
        let otherPortal = try #require(try await rig.api.send("POST", "/api/customers/\(other.customerID)/portal-token",
                                                              token: other.token).json["token"] as? String)
        let foreign = try await rig.api.send("POST", "/portal/\(otherPortal)/invoices/\(publicID)/pay", json: [String: Any]())
        #expect(foreign.status == 404)
        try await rig.stop()
    }

    @Test func theProviderBeingDownIsAClearErrorAndNoKeyOrSecretIsLogged() async throws {
        let logs = InMemoryLogHandler()
        let rig = try await PaymentRig(logger: logs.logger())
        let invoice = try await rig.invoice()
        try await rig.payAndComplete(invoice.token)
        let second = try await rig.invoice(number: "INV-2")
        let forged = try await rig.fake.complete(try #require(try await rig.pay(second.token).session), webhookURL: rig.webhookURL,
                                                 secret: "whsec_attackerSecret123")
        #expect(forged.delivery?.status == 400)
        try await rig.fake.failNext(status: 500, count: 5)
        let down = try await rig.pay(second.token)
        #expect(down.reply.status == 502)
        #expect(down.reply.errorCode == "provider_unavailable")
        _ = try await rig.settled(invoice.id)
        #expect(logs.text.contains("webhook refused"))
        #expect(logs.text.contains("payment event applied"))
        for secret in [FakeStripe.apiKey, FakeStripe.webhookSecret, "whsec_attackerSecret123", invoice.token] {
            #expect(!logs.text.contains(secret) && !logs.json.contains(secret))
        }
        try await rig.stop()
    }
}
