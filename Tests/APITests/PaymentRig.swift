import BillportCore
import Documents
import Foundation
import Payments
import Billing
import BillingJobs
import Queue
import TestSupport
import Worker

/// The real API and a real worker pool (with `payment.event`) over one temporary database,
/// and the fake provider (`fake-stripe.py`) that makes checkout sessions and POSTs signed
/// events to the API's webhook.
final class PaymentRig: Sendable {
    let api: APIHarness
    let fake: FakeStripe
    let tenant: APIHarness.Tenant
    private let shutdown = ShutdownSignal()
    private let task: Task<Void, any Error>

    /// A tenant on the pro plan with the fake's key and webhook secret (unless `connect` is false).
    init(connect: Bool = true, renderer: (any InvoiceRenderer)? = StubRenderer(), logger: Logger = .disabled) async throws {
        fake = try await FakeStripe.start()
        api = try APIHarness(transport: .live, renderer: renderer, stripeBaseURL: fake.baseURL, logger: logger)
        tenant = try await api.tenant("acme")
        var handlers = JobHandlers()
        handlers.registerPayments(payments: api.stores.payments)
        let pool = WorkerPool(store: api.jobs, handlers: handlers, configuration: .init(queues: ["default": 4]),
                              retryPolicy: .init(base: .milliseconds(20), maximum: .milliseconds(20), jitter: 0), logger: logger)
        let shutdown = self.shutdown
        task = Task { try await pool.run(until: shutdown) }
        if connect {
            try await setPlan(.pro)
            let settings = try await api.send("PUT", "/api/settings/payments", token: tenant.token, json: [
                "secretKey": FakeStripe.apiKey, "webhookSecrets": [FakeStripe.webhookSecret],
            ])
            guard settings.status == 200 else { throw HarnessFailure("settings: \(settings.status) \(settings.text)") }
        }
    }

    /// The operator's side: sets the tenant's plan in the store, as `billport tenant payments --plan` does.
    func setPlan(_ plan: Plan, slug: String? = nil) async throws {
        guard let found = try await api.stores.tenants.tenant(slug: slug ?? tenant.slug) else { throw HarnessFailure("no tenant") }
        var settings = try await api.stores.payments.paymentSettings(tenantID: found.id)
        settings.plan = plan
        _ = try await api.stores.payments.updatePaymentSettings(tenantID: found.id, settings)
    }

    func stop() async throws {
        shutdown.trigger()
        try await task.value
        await api.stop()
        try await fake.stop()
    }

    var webhookURL: String { "http://127.0.0.1:\(api.port)/webhooks/stripe/\(tenant.slug)" }

    /// An issued, shared invoice of 1,356.60 EUR; its id and share token.
    func invoice(number: String = "INV-1", partial: Bool = false, minimum: Int64? = nil) async throws -> (id: Int64, token: String) {
        var json = api.invoiceJSON(customer: tenant.customerID, number: number)
        json["allowPartialPayments"] = partial
        if let minimum { json["minimumPaymentAmount"] = minimum }
        return try await issueAndShare(json)
    }

    static let total: Int64 = 135_660

    /// An issued, shared invoice of exactly `amount` minor units (EUR, no tax) that may be paid
    /// in parts; its id and share token.
    func invoice(number: String, totalling amount: Int64) async throws -> (id: Int64, token: String) {
        var json = api.invoiceJSON(customer: tenant.customerID, number: number,
                                   lines: [["description": "Work", "quantity": 1, "unitPrice": amount, "taxRate": 0]])
        json["allowPartialPayments"] = true
        return try await issueAndShare(json)
    }

    /// Creates the invoice `json` describes, issues and shares it; its id and share token.
    private func issueAndShare(_ json: [String: Any]) async throws -> (id: Int64, token: String) {
        let created = try await api.send("POST", "/api/invoices", token: tenant.token, json: json)
        guard created.status == 201, let id = created.json["id"] as? Int else { throw HarnessFailure("create: \(created.text)") }
        _ = try await api.send("POST", "/api/invoices/\(id)/issue", token: tenant.token)
        let share = try await api.send("POST", "/api/invoices/\(id)/share", token: tenant.token)
        guard let token = share.json["shareToken"] as? String else { throw HarnessFailure("share: \(share.text)") }
        return (Int64(id), token)
    }

    /// `POST /invoice/{token}/pay` as an API caller; the reply and the checkout session id.
    func pay(_ token: String, amount: Int64? = nil) async throws -> (reply: APIHarness.Reply, session: String?) {
        let reply = try await api.send("POST", "/invoice/\(token)/pay", json: amount.map { ["amount": $0] } ?? [String: Any]())
        let session = (reply.json["checkoutUrl"] as? String).flatMap { URL(string: $0)?.lastPathComponent }
        return (reply, session)
    }

    /// Pays through a new checkout and has the provider deliver the completed event.
    @discardableResult
    func payAndComplete(_ token: String, amount: Int64? = nil) async throws -> String {
        let (reply, session) = try await pay(token, amount: amount)
        guard let session else { throw HarnessFailure("pay: \(reply.status) \(reply.text)") }
        let delivery = try await fake.complete(session, webhookURL: webhookURL)
        guard delivery.delivery?.status == 200 else { throw HarnessFailure("webhook: \(String(describing: delivery.delivery))") }
        return session
    }

    /// POSTs a delivery the fake built (but did not send) to the webhook, as the provider would.
    func deliver(_ delivery: SignedDelivery) async throws -> APIHarness.Reply {
        try await api.send("POST", "/webhooks/stripe/\(tenant.slug)", bytes: Array(delivery.payload.utf8),
                           headers: ["Stripe-Signature": delivery.signature, "Content-Type": "application/json"])
    }

    func invoiceBody(_ id: Int64) async throws -> [String: Any] {
        try await api.send("GET", "/api/invoices/\(id)", token: tenant.token).json
    }

    /// Waits until every stored event is applied and the queue is empty, then reads the invoice.
    func settled(_ id: Int64) async throws -> [String: Any] {
        try await eventually("every payment event applied") {
            try await self.api.temp.database.read { db in
                try db.queryOne("""
                    SELECT (SELECT count(*) FROM provider_events WHERE applied_at IS NULL)
                         + (SELECT count(*) FROM jobs WHERE kind = 'payment.event' AND state NOT IN ('done', 'dead'))
                    """) { $0.int(0) } ?? 1
            } == 0
        }
        return try await invoiceBody(id)
    }

    func storedEvents() async throws -> Int {
        try await api.temp.database.read { db in try db.queryOne("SELECT count(*) FROM provider_events") { $0.int(0) } ?? -1 }
    }
}
