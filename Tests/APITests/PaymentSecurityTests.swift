import Foundation
import Payments
import Billing
import TestSupport
import BillingFixtures
import Testing

/// What a tenant can do with events it signs for its own webhook, and what buyers' links show:
/// the real server, the real worker pool and the fake provider over one SQLite file.
@Suite(.serialized) struct PaymentSecurityTests {
    static let malloryKey = "whsec_MalloryOwnSecret42"

    /// POSTs `payload` to `slug`'s webhook, signed with `secret` as its owner would.
    static func deliver(_ rig: PaymentRig, _ payload: String, to slug: String, secret: String) async throws -> APIHarness.Reply {
        let bytes = Array(payload.utf8)
        return try await rig.api.send("POST", "/webhooks/stripe/\(slug)", bytes: bytes, headers: [
            "Stripe-Signature": WebhookSignature.sign(payload: bytes, secret: secret, timestamp: Date()), "Content-Type": "application/json",
        ])
    }

    static func outcomes(_ rig: PaymentRig, slug: String) async throws -> [String] {
        try await rig.api.temp.database.read { db in
            try db.query("""
                SELECT COALESCE(e.outcome, '') FROM provider_events e JOIN tenants t ON t.id = e.tenant_id WHERE t.slug = ? ORDER BY e.id
                """, slug) { $0.string(0) }
        }
    }

    /// A second tenant on the pro plan whose webhook secret it chose itself.
    static func mallory(_ rig: PaymentRig) async throws -> APIHarness.Tenant {
        let mallory = try await rig.api.tenant("mallory")
        try await rig.setPlan(.pro, slug: "mallory")
        let settings = try await rig.api.send("PUT", "/api/settings/payments", token: mallory.token, json: [
            "secretKey": FakeStripe.apiKey, "webhookSecrets": [malloryKey],
        ])
        guard settings.status == 200 else { throw HarnessFailure("mallory: \(settings.text)") }
        return mallory
    }

    @Test func twoHugeSelfSignedEventsAreStoredAsIgnoredAndEveryTenantIsStillServed() async throws {
        let rig = try await PaymentRig()
        let invoice = try await rig.invoice()
        let publicID = try #require(try await rig.invoiceBody(invoice.id)["publicId"] as? String)
        let session = try #require(try await rig.pay(invoice.token).session)
        let other = try await rig.api.tenant("globex")
        // 2 × 5·10¹⁸ is beyond Int64: once for a session Billport opened, once for one it did not.
        for (index, id) in [session, "cs_test_made_up_by_the_tenant"].enumerated() {
            let event = StripeEvents.checkoutCompleted(id: "evt_huge_\(index)", session: id, tenant: "acme", invoice: publicID,
                                            amount: 5_000_000_000_000_000_000)
            #expect(try await Self.deliver(rig, event, to: "acme", secret: FakeStripe.webhookSecret).status == 200)
        }
        let body = try await rig.settled(invoice.id)
        #expect(body["status"] as? String == "issued")
        #expect(body["amountPaid"] as? Int == 0)
        #expect((body["payments"] as? [[String: Any]])?.isEmpty == true)
        let outcomes = try await Self.outcomes(rig, slug: "acme")
        #expect(outcomes.count == 2)
        #expect(outcomes.allSatisfy { $0.hasPrefix("ignored: ") && $0.contains("is outside 0…1000000000000000") }, "\(outcomes)")
        // The server and its workers are still there for everyone.
        #expect(try await rig.api.send("GET", "/api/invoices", token: other.token).status == 200)
        try await rig.payAndComplete(invoice.token)
        #expect(try await rig.settled(invoice.id)["status"] as? String == "paid")
        try await rig.stop()
    }

    @Test func aTenantCanNeverCaptureAnotherTenantsCheckoutWithEventsItSignsItself() async throws {
        let rig = try await PaymentRig()
        let victim = try await rig.invoice()
        let mallory = try await Self.mallory(rig)
        let malloryInvoice = try await rig.api.invoice(mallory)
        let malloryPublicID = try #require(try await rig.api.send("GET", "/api/invoices/\(malloryInvoice)", token: mallory.token).json["publicId"] as? String)

        // As a buyer, mallory opened the victim's checkout and so knows its id.
        let session = try #require(try await rig.pay(victim.token).session)
        let claim = StripeEvents.checkoutCompleted(id: "evt_mallory_claim", session: session, tenant: "mallory", invoice: malloryPublicID,
                                        amount: PaymentRig.total, paymentStatus: "unpaid")
        #expect(try await Self.deliver(rig, claim, to: "mallory", secret: Self.malloryKey).status == 200)

        // The provider's genuine event: mallory even stores its id first on its own webhook.
        let genuine = try await rig.fake.complete(session)
        #expect(try await Self.deliver(rig, genuine.payload, to: "mallory", secret: Self.malloryKey).status == 200)
        let delivered = try await rig.deliver(genuine)
        #expect(delivered.status == 200)
        #expect(delivered.json["duplicate"] as? Bool == false)

        let paid = try await rig.settled(victim.id)
        #expect(paid["status"] as? String == "paid")
        #expect(paid["amountPaid"] as? Int == Int(PaymentRig.total))
        #expect((paid["payments"] as? [[String: Any]])?.map { $0["checkoutSessionId"] as? String } == [session])
        let untouched = try await rig.api.send("GET", "/api/invoices/\(malloryInvoice)", token: mallory.token).json
        #expect(untouched["amountPaid"] as? Int == 0)
        #expect((untouched["payments"] as? [[String: Any]])?.isEmpty == true)
        let outcomes = try await Self.outcomes(rig, slug: "mallory")
        #expect(outcomes.count == 2)
        #expect(outcomes.first == "ignored: checkout \(session) was not opened by Billport for this tenant")
        #expect(outcomes.allSatisfy { $0.hasPrefix("ignored: ") }, "\(outcomes)")
        let page = try await rig.api.send("GET", "/pay/complete?session_id=\(session)")
        #expect(page.text.contains("has been received"))
        #expect(page.text.contains("invoice INV-1 to Acme GmbH"))
        try await rig.stop()
    }

    @Test func anEventForAnotherAmountOrInvoiceThanBillportOpenedChangesNothing() async throws {
        let rig = try await PaymentRig()
        let invoice = try await rig.invoice(partial: true)
        let second = try await rig.invoice(number: "INV-2")
        let publicID = try #require(try await rig.invoiceBody(invoice.id)["publicId"] as? String)
        let secondPublicID = try #require(try await rig.invoiceBody(second.id)["publicId"] as? String)
        let session = try #require(try await rig.pay(invoice.token, amount: 10_000).session)
        for (index, (target, amount)) in [(publicID, PaymentRig.total), (secondPublicID, 10_000)].enumerated() {
            let event = StripeEvents.checkoutCompleted(id: "evt_other_\(index)", session: session, tenant: "acme", invoice: target, amount: amount)
            #expect(try await Self.deliver(rig, event, to: "acme", secret: FakeStripe.webhookSecret).status == 200)
        }
        #expect(try await rig.settled(invoice.id)["amountPaid"] as? Int == 0)
        #expect(try await rig.invoiceBody(second.id)["amountPaid"] as? Int == 0)
        let outcomes = try await Self.outcomes(rig, slug: "acme")
        #expect(outcomes == ["ignored: checkout \(session) reports \(PaymentRig.total) EUR; Billport opened it for 10000 EUR",
                             "ignored: checkout \(session) was opened for another invoice"])
        try await rig.stop()
    }

    @Test func aCustomersStatementOverManyInvoicesNearTheMaximumAnswersWithoutCrashing() async throws {
        let rig = try await PaymentRig()
        let tenant = try #require(try await rig.api.stores.tenants.tenant(slug: "acme"))
        // 9,300 issued invoices of 10¹⁵ minor units each owe more than Int64 holds.
        try await rig.api.temp.database.write { db in
            try db.execute("""
                WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 9300)
                INSERT INTO invoices (tenant_id, customer_id, public_id, type, number, status, currency, issue_date, due_date,
                                      subtotal, tax_total, total, created_at, issued_at)
                SELECT ?, ?, 'inv_big_' || i, 'AR', 'BIG-' || i, 'issued', 'EUR', '2026-11-01', '2026-12-01',
                       \(InvoiceMath.maximumAmount), 0, \(InvoiceMath.maximumAmount), 0, 0 FROM n
                """, tenant.id, rig.tenant.customerID)
        }
        let token = try #require(try await rig.api.send("POST", "/api/customers/\(rig.tenant.customerID)/portal-token",
                                                        token: rig.tenant.token).json["token"] as? String)
        let page = try await rig.api.send("GET", "/portal/\(token)")
        #expect(page.status == 422)
        #expect(page.text.contains("Statement not available"))
        #expect(page.text.contains("the amount owed in EUR adds up to more than 9223372036854775807 minor units"))
        let json = try await rig.api.send("GET", "/api/portal/\(token)")
        #expect(json.status == 422)
        #expect(json.errorCode == "amount_overflow")
        #expect(try await rig.api.send("GET", "/api/invoices", token: rig.tenant.token).status == 200)
        try await rig.stop()
    }

    @Test func aTenantTokenCannotChangeThePlanAndSeesItUnchanged() async throws {
        let rig = try await PaymentRig(connect: false)
        let upgrade = try await rig.api.send("PUT", "/api/settings/payments", token: rig.tenant.token, json: ["plan": "pro"])
        #expect(upgrade.status == 403)
        #expect(upgrade.errorCode == "forbidden")
        #expect(upgrade.errorField == "plan")
        #expect(try await rig.api.send("GET", "/api/settings/payments", token: rig.tenant.token).json["plan"] as? String == "free")
        // Sending the plan it has back (a GET body round-tripped) is no change, so it is fine.
        let same = try await rig.api.send("PUT", "/api/settings/payments", token: rig.tenant.token, json: ["plan": "free"])
        #expect(same.status == 200)
        // The operator's side still changes it.
        try await rig.setPlan(.pro)
        #expect(try await rig.api.send("GET", "/api/settings/payments", token: rig.tenant.token).json["plan"] as? String == "pro")
        let downgrade = try await rig.api.send("PUT", "/api/settings/payments", token: rig.tenant.token, json: ["plan": "free"])
        #expect(downgrade.status == 403)
        try await rig.stop()
    }

    @Test func theConfirmationPageForAMissingOrUnknownCheckoutIsTheBadLinkPage() async throws {
        let rig = try await PaymentRig()
        for path in ["/pay/complete", "/pay/complete?session_id=", "/pay/complete?session_id=cs_test_neverOpenedByBillport",
                     "/pay/complete?session_id=not-a-session"] {
            let page = try await rig.api.send("GET", path)
            #expect(page.status == 404, "\(path)")
            #expect(page.text.contains("Link not valid"), "\(path)")
            #expect(!page.text.contains("Thank you"), "\(path)")
        }
        try await rig.stop()
    }
}
