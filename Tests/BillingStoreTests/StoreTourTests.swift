import Billing
import BillingFixtures
import BillingStore
import BillportCore
import Foundation
import Queue
import Relational
import TestSupport
import Testing

/// Every store operation the other suites reach only through the API, run against the stores
/// directly on the selected backend: what a tenant or a buyer would see afterwards.
@Suite struct StoreTourTests {
    let temp: BillingTestDatabase
    var stores: BillingStores { temp.stores }

    init() throws {
        temp = try BillingTestDatabase()
    }

    @Test func tenantSettingsBrandingAndTheCompanyProfileAreKeptPerTenant() async throws {
        let acme = try await BillingFixture(stores: stores)
        let id = acme.tenant.id
        #expect(try await stores.tenants.tenant(slug: "acme")?.id == id)
        #expect(try await stores.tenants.tenant(id: id)?.slug == "acme")
        await #expect(throws: BillingError.self) { try await stores.tenants.createTenant(slug: "acme", name: "Again") }
        var portal = try await stores.tenants.portalSettings(tenantID: id)
        portal.allowMessages = true
        portal.tokenExpiryDays = 7
        #expect(try await stores.tenants.updatePortalSettings(tenantID: id, portal) == portal)
        #expect(try await stores.tenants.portalSettings(tenantID: id) == portal)
        let notify = TenantNotificationSettings(recipients: ["ops@acme.example"], events: [.invoicePaid], windowMinutes: 30)
        _ = try await stores.tenants.updateNotificationSettings(tenantID: id, notify)
        _ = try await stores.tenants.updateNotificationSettings(tenantID: id, notify)
        #expect(try await stores.tenants.notificationSettings(tenantID: id) == notify)
        _ = try await stores.tenants.updateBranding(tenantID: id, brandColor: "#112233", pageSize: .letter, paymentInstructions: "IBAN")
        let logo = TestPNG.zeros(width: 2, height: 2)
        try await stores.tenants.updateLogo(tenantID: id, logo: logo)
        let branding = try await stores.tenants.branding(tenantID: id)
        #expect(branding.brandColor == "#112233" && branding.pageSize == .letter && branding.logo == logo)
        for name in ["Acme GmbH", "Acme AG"] {
            _ = try await stores.tenants.updateCompanyProfile(tenantID: id) { profile in
                var profile = profile
                profile.legalName = name
                return profile
            }
        }
        #expect(try await stores.tenants.companyProfile(tenantID: id).legalName == "Acme AG")
    }

    @Test func customersArePagedSearchedChangedAndErasedWithTheirEvents() async throws {
        let acme = try await BillingFixture(stores: stores)
        let id = acme.tenant.id
        for n in 1...5 { _ = try await stores.customers.createCustomer(tenantID: id, name: "Buyer \(n)", email: "b\(n)@example.com", preferences: .init()) }
        let first = try await stores.customers.customers(tenantID: id, search: nil, limit: 4, beforeID: nil)
        #expect(first.customers.count == 4 && first.nextBefore != nil)
        let rest = try await stores.customers.customers(tenantID: id, search: nil, limit: 4, beforeID: first.nextBefore)
        #expect(rest.customers.count == 2 && rest.nextBefore == nil)
        let found = try await stores.customers.customers(tenantID: id, search: try CustomerSearch("buyer 3"), limit: 10, beforeID: nil)
        #expect(found.customers.map(\.name) == ["Buyer 3"])
        let renamed = try await stores.customers.updateCustomer(tenantID: id, id: acme.customer.id, CustomerChange(name: "Zoë Z"))
        #expect(renamed.name == "Zoë Z")
        let hash = [UInt8](repeating: 7, count: 32)
        try await stores.customers.registerUnsubscribeToken(tenantID: id, customerID: acme.customer.id, hash: hash)
        #expect(try await stores.customers.customer(unsubscribeHash: hash)?.customer.id == acme.customer.id)
        _ = try await stores.customers.setPreferences(tenantID: id, customerID: acme.customer.id, .init(document: true, reminder: false, marketing: false))
        #expect(try await stores.customers.customer(tenantID: id, id: acme.customer.id)?.preferences.reminder == false)

        _ = try await stores.invoices.issue(tenantID: id, id: acme.invoice.id)
        _ = try await stores.links.share(tenantID: id, invoiceID: acme.invoice.id, regenerate: false)
        let erased = try await stores.customers.eraseCustomer(tenantID: id, id: acme.customer.id)
        #expect(erased.name != "Zoë Z")
        let bodies = try await temp.database.read { db in
            try db.query("SELECT body FROM webhook_events WHERE customer_id = ?", acme.customer.id) { $0.string(0) }
        }
        #expect(!bodies.isEmpty)
        for body in bodies {
            #expect(body.hasPrefix("{\"data\":{\"customerId\":\(acme.customer.id),\"erased\":true},\"timestamp\":\""), "\(body)")
            #expect(!body.contains("Zo"))
        }
        let spare = try await stores.customers.createCustomer(tenantID: id, name: "Spare", email: "s@example.com", preferences: .init())
        try await stores.customers.deleteCustomer(tenantID: id, id: spare.id)
        #expect(try await stores.customers.customer(tenantID: id, id: spare.id) == nil)
    }

    @Test func anIdempotencyKeyAnswersOnceStoredAndIsFreeAgainWhenReleased() async throws {
        let id = try await BillingFixture(stores: stores).tenant.id
        let print: [UInt8] = [1, 2, 3]
        #expect(try await stores.idempotency.claim(tenantID: id, scope: "POST /api/invoices", key: "k1", fingerprint: print, now: Date()) == .started)
        #expect(try await stores.idempotency.claim(tenantID: id, scope: "POST /api/invoices", key: "k1", fingerprint: print, now: Date()) == .inFlight)
        #expect(try await stores.idempotency.claim(tenantID: id, scope: "POST /api/invoices", key: "k1", fingerprint: [9], now: Date()) == .reused)
        let answer = StoredAnswer(status: 201, headers: [["content-type", "application/json"]], body: Array("{}".utf8))
        try await stores.idempotency.store(tenantID: id, scope: "POST /api/invoices", key: "k1", answer: answer)
        #expect(try await stores.idempotency.claim(tenantID: id, scope: "POST /api/invoices", key: "k1", fingerprint: print, now: Date())
                    == .replay(answer))
        #expect(try await stores.idempotency.claim(tenantID: id, scope: "POST /api/invoices", key: "k2", fingerprint: print, now: Date()) == .started)
        try await stores.idempotency.release(tenantID: id, scope: "POST /api/invoices", key: "k2")
        #expect(try await stores.idempotency.claim(tenantID: id, scope: "POST /api/invoices", key: "k2", fingerprint: print, now: Date()) == .started)
    }

    @Test func paymentsRefundsAndTheAuditFollowTheProvidersEvents() async throws {
        let acme = try await BillingFixture(stores: stores)
        let id = acme.tenant.id
        _ = try await stores.payments.updatePaymentSettings(tenantID: id, PaymentSettings(plan: .free, secretKey: "sk_test_1", webhookSecrets: ["whsec_1"]))
        #expect(try await stores.payments.paymentSettings(tenantSlug: "acme")?.settings.webhookSecrets == ["whsec_1"])
        let invoice = try await stores.invoices.issue(tenantID: id, id: acme.invoice.id)
        for session in ["cs_1", "cs_2"] {
            try await stores.payments.recordCheckoutSession(tenantID: id, invoiceID: invoice.id, sessionID: session, amount: 100, currency: "eur",
                                                            expiresAt: Date().addingTimeInterval(3600))
        }
        #expect(try await stores.payments.checkoutSession("cs_1")?.amount == 100)
        #expect(try await stores.payments.openCheckoutSessions(tenantID: id, invoiceID: invoice.id, except: "cs_1") == ["cs_2"])
        try await stores.payments.closeCheckoutSession(tenantID: id, sessionID: "cs_2", completed: false)
        #expect(try await stores.payments.openCheckoutSessions(tenantID: id, invoiceID: invoice.id, except: "cs_1").isEmpty)

        var rows: [Int64] = []
        for (n, _) in ["pay", "refund", "refund-more"].enumerated() {
            #expect(try await stores.payments.receiveProviderEvent(tenantID: id, eventID: "evt_\(n)", type: "t", payload: [UInt8(n)]))
        }
        let jobs = try await temp.jobs.jobs(state: nil, queue: nil, kind: "payment.event", limit: 10, beforeID: nil)
        rows = try jobs.map { try JSONDecoder().decode(ApplyPaymentEvent.self, from: Data($0.payload.utf8)).eventRowId }.sorted()
        #expect(try await stores.payments.providerEvent(rowID: rows[0])?.payload == [0])
        _ = try await stores.payments.applyLedgerChange(eventRowID: rows[0], invoicePublicID: invoice.publicID,
                                                        .payment(sessionID: "cs_1", paymentIntent: "pi_1", amount: 100, currency: "eur", state: .pending))
        #expect(try await stores.payments.pendingPayments(tenantID: id, invoiceID: invoice.id) == 100)
        _ = try await stores.payments.applyLedgerChange(eventRowID: rows[1], invoicePublicID: invoice.publicID,
                                                        .payment(sessionID: "cs_1", paymentIntent: "pi_1", amount: 100, currency: "eur", state: .succeeded))
        _ = try await stores.payments.applyLedgerChange(eventRowID: rows[2], invoicePublicID: invoice.publicID,
                                                        .refund(chargeID: "ch_1", paymentIntent: "pi_1", refundedTotal: 40, currency: "eur"))
        let payments = try await stores.payments.payments(tenantID: id, invoiceID: invoice.id)
        #expect(payments.map(\.refunded) == [40])
        #expect(try await stores.payments.paymentAudit(tenantID: id, invoiceID: invoice.id).count >= 2)
        try await stores.payments.settleProviderEvent(rowID: rows[2], outcome: "done")
    }
}
