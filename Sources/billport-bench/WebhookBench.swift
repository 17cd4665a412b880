import Foundation
import HTTPClient
import Payments
import Billing
import BillingStore
import Queue
import Scheduler
import Relational
import SQLite

/// The `webhook` group. Accept: signed `checkout.session.completed` events POSTed over
/// loopback to `billport serve` (workers off the `default` queue, so only ingestion runs) by
/// eight keep-alive clients in this process: each is verified, stored and enqueued before its
/// 200. Apply: a `billport worker` then applies every stored event to its invoice; the figure is
/// events over the time until the last one is applied (worker start included).
struct WebhookBench {
    let billport: String
    let directory: String
    var events = 10_000
    var invoices = 2_000
    var clients = 8

    static let secret = "whsec_BillportBenchSecret000001"

    func run(_ report: inout BenchReport) async throws {
        let data = directory + "/webhook"
        try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true)
        let path = data + "/billport.sqlite"
        let publicIDs = try await prepare(path: path)
        var environment = HTTPBench.inheritedEnvironment()
        environment["BILLPORT_DATA_DIRECTORY"] = data
        environment["BILLPORT_DATABASE_PATH"] = path
        environment["BILLPORT_LOG_LEVEL"] = "warning"
        environment["BILLPORT_SCHEDULER_ENABLED"] = "false"
        environment["BILLPORT_WORKER_QUEUES"] = "mail=1"
        let port = try HTTPBench.freePort()
        environment["BILLPORT_HTTP_HOST"] = "127.0.0.1"
        environment["BILLPORT_HTTP_PORT"] = String(port)

        let deliveries = (0..<events).map { index in Self.delivery(index: index, invoice: publicIDs[index % publicIDs.count]) }
        let serve = try await HTTPBench.Server.start(billport, ["serve"], environment: environment, port: port, log: data + "/serve.log")
        let accepted: (seconds: Double, p99: Double)
        do {
            accepted = try await post(deliveries, to: "http://127.0.0.1:\(port)/webhooks/stripe/bench")
        } catch {
            await serve.stop()
            throw error
        }
        await serve.stop()

        let database = try Database(path: path)
        func count(_ sql: String) throws -> Int { try database.readBlocking { db in try db.queryOne(sql) { $0.int(0) } ?? -1 } }
        let stored = try count("SELECT count(*) FROM provider_events")
        guard stored == events else { throw BenchFailure("\(stored) of \(events) events stored (log: \(serve.log))") }

        environment["BILLPORT_WORKER_QUEUES"] = "default=8"
        let started = ContinuousClock.now
        let worker = try HTTPBench.launchLogged(billport, ["worker"], environment: environment, log: data + "/worker.log")
        defer { if worker.isRunning { worker.terminate(); worker.waitUntilExit() } }
        while try count("SELECT count(*) FROM provider_events WHERE applied_at IS NULL") > 0 {
            guard worker.isRunning, ContinuousClock.now - started < .seconds(300) else {
                throw BenchFailure("the worker stopped or took over 300 s applying events (log: \(data)/worker.log)")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        let applySeconds = seconds(since: started)
        let payments = try count("SELECT count(*) FROM payments WHERE state = 'succeeded'")
        let dead = try count("SELECT count(*) FROM jobs WHERE kind = 'payment.event' AND state = 'dead'")

        let acceptRate = Double(events) / accepted.seconds
        report.add("webhook.accept.rps", acceptRate, "ev/s", target: ">= 2000", meets: acceptRate >= 2000)
        report.add("webhook.accept.p99_ms", accepted.p99, "ms")
        report.add("webhook.apply.rps", Double(events) / applySeconds, "ev/s")
        report.add("webhook.payments", Double(payments), "rows", target: "= \(events) events, 0 dead", meets: payments == events && dead == 0)
    }

    /// A fresh database: tenant `bench` with the webhook secret, one customer, issued invoices,
    /// and the checkout session each event reports, as Billport records it when a buyer pays
    /// (events for sessions Billport did not open are ignored).
    private func prepare(path: String) async throws -> [String] {
        let database = try Database(path: path)
        try Migrator.migrate(database, migrations: QueueSchema.migrations + SchedulerSchema.migrations + BillingSchema.migrations)
        let stores = BillingStores.sqlite(database: database)
        let tenant = try await stores.tenants.createTenant(slug: "bench", name: "Bench Ltd")
        _ = try await stores.payments.updatePaymentSettings(tenantID: tenant.id, PaymentSettings(plan: .pro, secretKey: "sk_test_bench000000",
                                                                                        webhookSecrets: [Self.secret]))
        let customer = try await stores.customers.createCustomer(tenantID: tenant.id, name: "Buyer", email: "buyer@example.com", preferences: .init())
        var publicIDs: [String] = []
        var ids: [Int64] = []
        for index in 0..<invoices {
            let request = try JSONDecoder().decode(CreateInvoiceRequest.self, from: Data("""
                {"customerId": \(customer.id), "number": "B-\(index)", "currency": "EUR", "issueDate": "2026-11-01", "dueDate": "2026-12-01",
                 "lines": [{"description": "Work", "quantity": 1, "unitPrice": 1000000}]}
                """.utf8))
            let invoice = try await stores.invoices.createInvoice(tenantID: tenant.id, draft: try InvoiceDraft.validate(request))
            publicIDs.append(try await stores.invoices.issue(tenantID: tenant.id, id: invoice.id).publicID)
            ids.append(invoice.id)
        }
        try await dropPendingRenders(database)
        try await database.write { [events, ids] db in
            for index in 0..<events {
                try db.execute("""
                    INSERT INTO checkout_sessions (tenant_id, invoice_id, session_id, amount, currency, created_at, expires_at)
                    VALUES (?, ?, ?, 1000, 'EUR', 0, 0)
                    """, tenant.id, ids[index % ids.count], "cs_test_bench_\(index)")
            }
        }
        return publicIDs
    }

    /// One event's body and `Stripe-Signature`: a paid checkout of 10.00 EUR towards `invoice`.
    static func delivery(index: Int, invoice: String) -> (body: [UInt8], signature: String) {
        let json = """
            {"id": "evt_bench_\(index)", "object": "event", "type": "checkout.session.completed", "api_version": "2024-06-20",
             "created": 1764000000, "livemode": false, "data": {"object": {"id": "cs_test_bench_\(index)", "object": "checkout.session",
             "payment_status": "paid", "status": "complete", "amount_total": 1000, "currency": "eur",
             "metadata": {"tenant": "bench", "invoice": "\(invoice)"}, "payment_intent": "pi_bench_\(index)",
             "created": 1764000000, "expires_at": 1764086400, "livemode": false, "url": null}}}
            """
        let body = Array(json.utf8)
        return (body, WebhookSignature.sign(payload: body, secret: secret, timestamp: Date()))
    }

    /// POSTs every delivery over `clients` keep-alive connections; the elapsed seconds and the
    /// p99 latency in milliseconds. Any answer but 200 stops the run.
    private func post(_ deliveries: [(body: [UInt8], signature: String)], to url: String) async throws -> (seconds: Double, p99: Double) {
        let started = ContinuousClock.now
        let latencies = try await withThrowingTaskGroup(of: [Double].self) { group in
            for client in 0..<clients {
                group.addTask {
                    let http = try HTTPClient(configuration: HTTPClientConfiguration(timeout: .seconds(30)))
                    var latencies: [Double] = []
                    for index in stride(from: client, to: deliveries.count, by: clients) {
                        let sent = ContinuousClock.now
                        let response = try await http.send(HTTPClientRequest(method: .post, url: url, headers: [
                            "Content-Type": "application/json", "Stripe-Signature": deliveries[index].signature,
                        ], body: deliveries[index].body))
                        guard response.status == 200 else { throw BenchFailure("webhook answered \(response.status): \(response.text)") }
                        latencies.append(seconds(since: sent) * 1000)
                    }
                    return latencies
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        let sorted = latencies.sorted()
        return (seconds(since: started), sorted[min(sorted.count - 1, sorted.count * 99 / 100)])
    }
}
