import BillportCore
import Foundation
import Billing
import BillingJobs
import BillingFixtures
import BillingStore
import Queue
import Scheduler
import Relational
import SQLite
import TestSupport
import Testing
import Worker

/// Webhook delivery on a database with a long history: every statement of the fan-out, the
/// delivery runs, the delivery log, replays and pruning reaches deliveries, events and jobs
/// through an index, so its cost follows the work due, not the history.
@Suite struct WebhookDeliveryQueryPlanTests {
    static let growing: Set<String> = ["webhook_deliveries", "webhook_events", "jobs"]

    @Test func deliveryRunsLogReplayAndPruneUseTheirIndexes() async throws {
        let temp = try TemporaryDatabase(migrations: QueueSchema.migrations + SchedulerSchema.migrations + BillingSchema.migrations)
        let setup = BillingStores.sqlite(database: temp.database)
        let fixture = try await BillingFixture(stores: setup)
        let tenant = fixture.tenant.id
        // Nothing listens on port 9 of loopback: every attempt is refused at once and retried.
        let endpoint = try await setup.webhookEndpoints.createWebhookEndpoint(
            tenantID: tenant, WebhookEndpointFields(url: "http://127.0.0.1:9/hooks"), secret: "whsec_" + Data(repeating: 7, count: 32).base64EncodedString())
        let other = try await setup.webhookEndpoints.createWebhookEndpoint(
            tenantID: tenant, WebhookEndpointFields(url: "http://127.0.0.1:9/other"), secret: "whsec_" + Data(repeating: 8, count: 32).base64EncodedString())
        // 30,000 events, each delivered to both endpoints long ago; a few still pending later.
        try temp.database.writeBlocking { db in
            try db.execute("""
                WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 30000)
                INSERT INTO webhook_events (tenant_id, message_id, type, body, created_at) SELECT ?, 'msg_old_' || i, 'invoice.paid', '{}', i FROM n
                """, tenant)
            try db.execute("""
                INSERT INTO webhook_deliveries (tenant_id, endpoint_id, event_id, state, attempts, created_at, completed_at)
                SELECT tenant_id, ?, id, 'succeeded', 1, created_at, created_at FROM webhook_events
                UNION ALL
                SELECT tenant_id, ?, id, CASE WHEN id % 1000 = 0 THEN 'pending' ELSE 'failed' END, 3, created_at, created_at FROM webhook_events
                """, endpoint.id, other.id)
            try db.execute("UPDATE webhook_deliveries SET next_attempt_at = 9e15 WHERE state = 'pending'")
        }

        // A process of its own, so that its statements are only those below.
        let database = try Database(path: temp.path)
        let jobs = SQLiteJobStore(database: database)
        let stores = BillingStores.sqlite(jobs: jobs, clock: SystemClock())
        var handlers = JobHandlers()
        let settings = WebhookDeliverySettings(policy: WebhookDestinationPolicy(allowHTTP: true, allowPrivateDestinations: true),
                                               connectTimeout: .seconds(1), timeout: .seconds(2))
        handlers.registerWebhookDelivery(store: stores.webhookEndpoints, settings: settings)
        let pool = WorkerPool(store: jobs, handlers: handlers, configuration: .init(queues: ["webhooks": 2]), logger: .disabled)
        let shutdown = ShutdownSignal()
        let workers = Task { try await pool.run(until: shutdown) }
        var pings: [WebhookDelivery] = []
        for _ in 0..<3 { pings.append(try await stores.webhookEndpoints.sendTestEvent(tenantID: tenant, endpointID: endpoint.id)) }
        try await eventually("the pings to be tried") {
            let log = try await stores.webhookEndpoints.webhookDeliveries(tenantID: tenant, endpointID: endpoint.id, limit: 3, before: nil)
            return log.allSatisfy { $0.attempts > 0 }
        }
        _ = try await stores.webhookEndpoints.retryWebhookDelivery(tenantID: tenant, endpointID: endpoint.id, deliveryID: pings[0].id)
        _ = try await stores.webhookEndpoints.webhookDeliveries(tenantID: tenant, endpointID: endpoint.id, limit: 50, before: pings[0].id)
        _ = try await stores.webhookEndpoints.pruneWebhookDeliveries(before: Date(timeIntervalSince1970: 1))
        try await eventually("the replay to be tried") {
            try await stores.webhookEndpoints.webhookDeliveries(tenantID: tenant, endpointID: endpoint.id, limit: 3, before: nil)
                .first { $0.id == pings[0].id }?.attempts == 2
        }
        shutdown.trigger()
        try await workers.value

        var problems: [String: [String]] = [:]
        var seen: [String] = []
        for sql in try database.preparedStatements() where !["PRAGMA", "BEGIN", "COMMIT", "ROLLBACK"].contains(where: sql.hasPrefix) {
            seen.append(sql)
            let found = try QueryPlan.problems(of: sql, in: database, growing: Self.growing)
            if !found.isEmpty { problems[sql] = found }
        }
        #expect(problems.isEmpty, "\(problems)")
        #expect(seen.contains { $0.contains("FROM webhook_deliveries d JOIN webhook_events e") && $0.contains("next_attempt_at <=") },
                "the delivery run's batch query was checked")
    }
}
