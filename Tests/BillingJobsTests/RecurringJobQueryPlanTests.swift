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

/// The recurring jobs (and the queue and scheduler that run them) on a database the size of a
/// big tenant's: every statement they run must reach the growing tables through an index, or
/// their cost grows with the history instead of with the work due.
@Suite struct RecurringJobQueryPlanTests {
    static let growing: Set<String> = ["views", "view_stats", "view_addresses", "jobs", "invoices", "links", "reminders_sent",
                                       "webhook_events", "tenant_notifications_sent", "customers"]

    /// Full scans allowed, each with why its cost does not grow with the history.
    static let allowedScans: [String: String] = [
        "SCAN views USING INDEX views_backlog":
            "the backlog in order: the partial index holds only unprocessed views, and LIMIT ends the walk after one batch",
        "SCAN jobs USING INDEX jobs_scheduled":
            "a metrics scrape counts scheduled jobs: the partial index holds only jobs waiting for their time, not the history",
        "SCAN jobs USING INDEX jobs_running":
            "a metrics scrape counts running jobs: the partial index holds only leased jobs, at most the workers' slots",
    ]

    /// 20,000 invoices (a quarter drafts, a quarter paid, the rest due over the last 400 days,
    /// nearly all already reminded), a share link each, 5,000 portal tokens, 40,000 counted views
    /// with their stats and addresses, 500 new views, 30,000 finished jobs.
    static func fill(_ database: Database, _ fixture: BillingFixture) throws {
        try database.writeBlocking { db in
            let numbers = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?1)"
            try db.execute("""
                \(numbers) INSERT INTO invoices (tenant_id, customer_id, public_id, type, number, status, currency, issue_date, due_date,
                    subtotal, tax_total, total, amount_paid, created_at, issued_at)
                SELECT ?2, ?3, 'pub-' || i, 'AR', 'N-' || i, CASE i % 4 WHEN 0 THEN 'draft' WHEN 1 THEN 'paid' ELSE 'issued' END, 'EUR',
                    '2025-01-01', date('now', '-' || (i % 400) || ' days'), 100, 0, 100, CASE i % 4 WHEN 1 THEN 100 ELSE 0 END, 0, 0
                FROM n
                """, 20_000, fixture.tenant.id, fixture.customer.id)
            // The tenant hears about views, so aggregation also runs the notification fan-out.
            try db.execute("""
                INSERT INTO tenant_notification_settings (tenant_id, recipients, events, window_minutes, updated_at)
                VALUES (?, '["owner@example.com"]', '["invoice.viewed"]', 60, 0)
                """, fixture.tenant.id)
            try db.execute("""
                INSERT INTO reminders_sent (invoice_id, offset_days, created_at)
                SELECT id, 14, 0 FROM invoices WHERE status = 'issued' AND id % 100 != 3
                """)
            try db.execute("""
                INSERT INTO links (tenant_id, kind, token_hash, invoice_id, created_at) SELECT tenant_id, 'share', randomblob(32), id, 0 FROM invoices
                """)
            try db.execute("""
                \(numbers) INSERT INTO links (tenant_id, kind, token_hash, customer_id, created_at, expires_at, expired_at)
                SELECT ?2, 'portal', randomblob(32), ?3, 0, (unixepoch('now') + (i % 90 - 60) * 86400) * 1000,
                    CASE WHEN i % 90 < 50 THEN (unixepoch('now') + (i % 90 - 60) * 86400) * 1000 END
                FROM n
                """, 5_000, fixture.tenant.id, fixture.customer.id)
            try db.execute("""
                \(numbers) INSERT INTO views (view_key, tenant_id, invoice_id, link_id, source, ip, viewed_at, processed, counted)
                SELECT 'v' || i, ?2, i % 20000 + 1, i % 20000 + 1, 'link', CASE WHEN i % 3 = 0 THEN '' ELSE '10.0.' || (i % 250) END,
                    (unixepoch('now') - (i % 100) * 86400 - i % 7000) * 1000, i > 39500, i > 39500
                FROM n
                """, 40_000, fixture.tenant.id)
            try db.execute("UPDATE views SET processed = 0, counted = 0, ip = '10.1.' || (id % 50) WHERE id > 39500")
            try db.execute("""
                INSERT INTO view_stats (invoice_id, view_count, first_viewed_at, last_viewed_at, unique_ips)
                SELECT invoice_id, count(*), min(viewed_at), max(viewed_at), count(DISTINCT ip) FROM views WHERE counted = 1 GROUP BY invoice_id
                """)
            try db.execute("""
                INSERT INTO view_addresses (invoice_id, ip, last_seen)
                SELECT invoice_id, ip, max(viewed_at) FROM views WHERE counted = 1 AND ip != '' GROUP BY invoice_id, ip
                """)
            try db.execute("""
                \(numbers) INSERT INTO jobs (queue, kind, payload, state, run_at, attempts, max_attempts, created_at, started_at, finished_at)
                SELECT 'default', 'pdf.render', '{}', CASE i % 10 WHEN 0 THEN 'dead' WHEN 1 THEN 'cancelled' ELSE 'done' END,
                    0, 1, 20, 0, 0, (unixepoch('now') - (i % 30) * 86400) * 1000
                FROM n
                """, 30_000)
        }
    }

    @Test func recurringJobsQueueAndSchedulerUseTheirIndexes() async throws {
        let temp = try TemporaryDatabase(migrations: QueueSchema.migrations + SchedulerSchema.migrations + BillingSchema.migrations)
        let fixture = try await BillingFixture(stores: BillingStores.sqlite(database: temp.database))
        try Self.fill(temp.database, fixture)

        // A process of its own, so that its statements are only those of the jobs below.
        let database = try Database(path: temp.path)
        let jobs = SQLiteJobStore(database: database)
        let stores = BillingStores.sqlite(jobs: jobs, clock: SystemClock())
        var handlers = JobHandlers()
        handlers.registerBuiltins(store: jobs, configuration: jobs.configuration)
        handlers.registerViewAggregation(views: stores.views, window: .seconds(1800))
        handlers.registerViewRetention(views: stores.views, retention: ViewRetention())
        handlers.registerLinkExpiry(links: stores.links)
        handlers.registerOverdueReminders(emails: stores.emails, offsets: [1, 7, 14])
        let pool = WorkerPool(store: jobs, handlers: handlers, configuration: .init(queues: ["default": 2]), logger: .disabled)
        let shutdown = ShutdownSignal()
        let workers = Task { try await pool.run(until: shutdown) }
        let kinds = ["views.aggregate", "views.prune", "links.expire", "reminders.overdue", "jobs.prune"]
        var ids: [Int64] = []
        for kind in kinds { ids.append(try await jobs.enqueue(NewJob(kind: kind, payloadJSON: "{}")).id) }
        try await eventually("the recurring jobs to finish") {
            var finished = 0
            for id in ids where try await jobs.job(id: id)?.state == .done { finished += 1 }
            return finished == ids.count
        }
        shutdown.trigger()
        try await workers.value
        #expect(try await temp.database.read { db in try db.queryOne("SELECT count(*) FROM views WHERE processed = 0") { $0.int(0) } } == 0)
        #expect(try await temp.database.read { db in try db.queryOne("SELECT count(*) FROM jobs WHERE kind = 'notification.send'") { $0.int(0) } } ?? 0 > 0)

        // Every outcome a worker can report, with a heartbeat in between.
        let outcomes: [JobOutcome] = [.completed, .retry(error: "x", at: Date()), .dead(error: "x"), .snoozed(until: Date()), .released]
        _ = try await jobs.enqueue(outcomes.map { _ in try NewJob(kind: "diag.noop", payloadJSON: "{}", queue: "plans") })
        let claimed = try await jobs.claim(queue: "plans", limit: outcomes.count, worker: "w", acknowledging: [])
        #expect(claimed.count == outcomes.count)
        #expect(try await jobs.heartbeat(claimed.map(\.lease), worker: "w").isEmpty)
        try await jobs.acknowledge(zip(claimed, outcomes).map { Acknowledgement(lease: $0.lease, outcome: $1) })

        // Two ticks: the first starts the schedule, the second fires it.
        let scheduler = SQLScheduleStore(jobs: jobs)
        let schedule = try Schedule(name: "views.aggregate", spec: .every(.seconds(60)), kind: "views.aggregate")
        _ = try await scheduler.tick(holder: "s", leaseDuration: .seconds(30), schedules: [schedule], now: Date())
        let fired = try await scheduler.tick(holder: "s", leaseDuration: .seconds(30), schedules: [schedule], now: Date().addingTimeInterval(120))
        #expect(fired.fired.count == 1)

        // The queue gauges each metrics scrape reads.
        try await jobs.collectMetrics(queues: ["default", "plans"])

        var problems: [String: [String]] = [:]
        // Transaction control and PRAGMAs have no plan.
        for sql in try database.preparedStatements() where !["PRAGMA", "BEGIN", "COMMIT", "ROLLBACK"].contains(where: sql.hasPrefix) {
            let found = try QueryPlan.problems(of: sql, in: database, growing: Self.growing).filter { Self.allowedScans[$0] == nil }
            if !found.isEmpty { problems[sql] = found }
        }
        #expect(problems.isEmpty, "\(problems)")
    }
}
