import BillportCore
import Console
import Foundation
import HTTPServer
import Queue
import Scheduler
import Relational
import SQLite
import TestSupport
import Testing

/// The queue page with the content of a busy day, as `scripts/operator-screenshot.sh` shoots
/// it: written to `BILLPORT_CONSOLE_DEMO_HTML` when that is set.
@Suite struct ConsoleDemoPageTests {
    @Test func aBusyQueueRenders() async throws {
        let temp = try TemporaryDatabase(migrations: QueueSchema.migrations + SchedulerSchema.migrations)
        let clock = ManualClock(Date(timeIntervalSince1970: 1_796_302_800)) // 2026-12-03 13:00 UTC
        let jobs = SQLiteJobStore(database: temp.database, clock: clock)
        try temp.database.writeBlocking { db in
            try db.execute("""
                WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1900)
                INSERT INTO jobs (queue, kind, payload, state, run_at, attempts, max_attempts, created_at, started_at, finished_at)
                SELECT CASE i % 4 WHEN 0 THEN 'mail' WHEN 1 THEN 'webhooks' ELSE 'default' END,
                    CASE i % 4 WHEN 0 THEN 'email.send' WHEN 1 THEN 'webhooks.deliver' ELSE 'pdf.render' END, '{}',
                    CASE WHEN i % 97 = 0 THEN 'cancelled' ELSE 'done' END, ?1 - i * 40000, 1, 20, ?1 - i * 40000, ?1 - i * 40000, ?1 - i * 39000
                FROM n
                """, clock.now())
        }
        func run(_ kind: String, queue: String, minutesAgo: Double, _ outcome: JobOutcome?) async throws {
            clock.set(Date(timeIntervalSince1970: 1_796_302_800 - minutesAgo * 60))
            _ = try await jobs.enqueue(NewJob(kind: kind, payloadJSON: "{}", queue: queue))
            let claim = try await jobs.claim(queue: queue, limit: 1, worker: "billport-1@app-01:4211", acknowledging: [])
            if let outcome { try await jobs.acknowledge([Acknowledgement(lease: claim[0].lease, outcome: outcome)]) }
        }
        let later = Date(timeIntervalSince1970: 1_796_302_800)
        try await run("email.send", queue: "mail", minutesAgo: 190, .dead(error: "SMTP 550 5.1.1 <ap@acme.example>: Recipient address rejected: User unknown"))
        try await run("pdf.render", queue: "default", minutesAgo: 75,
                      .dead(error: "logo could not be decoded: <svg onload=alert(1)> is not a PNG or JPEG image"))
        try await run("webhooks.deliver", queue: "webhooks", minutesAgo: 12, .dead(error: "https://old-erp.acme.example/hooks answered 410 Gone: endpoint disabled"))
        try await run("email.send", queue: "mail", minutesAgo: 6,
                      .retry(error: "SMTP 451 4.7.1 Greylisted, please try again in 5 minutes", at: later.addingTimeInterval(240)))
        try await run("webhooks.deliver", queue: "webhooks", minutesAgo: 2,
                      .retry(error: "https://erp.acme.example/hooks/billport answered 503 Service Unavailable after 2.1 s", at: later.addingTimeInterval(480)))
        try await run("pdf.render", queue: "default", minutesAgo: 1, nil)
        clock.set(later.addingTimeInterval(-420))
        for kind in ["email.send", "email.send", "email.send", "notification.send"] {
            _ = try await jobs.enqueue(NewJob(kind: kind, payloadJSON: "{}", queue: "mail"))
        }
        _ = try await jobs.enqueue(NewJob(kind: "views.aggregate", payloadJSON: "{}", runAt: later.addingTimeInterval(3600)))
        let schedules = [
            try Schedule(name: "views.aggregate", spec: .every(.seconds(300)), kind: "views.aggregate"),
            try Schedule(name: "links.expire", spec: .every(.seconds(3600)), kind: "links.expire"),
            try Schedule(name: "reminders.overdue", spec: .cron(try CronExpression("0 8 * * *")), kind: "reminders.overdue"),
            try Schedule(name: "backup", spec: .cron(try CronExpression("0 3 * * *")), kind: "backup.snapshot"),
        ]
        // A scheduler that started a day ago and ticked every 5 minutes of the last hour.
        let scheduler = SQLScheduleStore(jobs: jobs)
        for offset in [-86_400] + Array(stride(from: -3760, through: 140, by: 300)) {
            _ = try await scheduler.tick(holder: "billport-1@app-01:4211", leaseDuration: .seconds(30), schedules: schedules,
                                         now: later.addingTimeInterval(TimeInterval(offset)))
        }
        clock.set(later.addingTimeInterval(150))

        let console = OperatorConsole(jobs: jobs, schedules: schedules, clock: clock)
        let page = await console.handle(HTTPRequest(method: .get, path: "/", headers: ["Host": "127.0.0.1:9464"]))
        #expect(page.status == 200)
        let html = String(decoding: page.body, as: UTF8.self)
        #expect(html.contains("&lt;svg onload=alert(1)&gt;") && !html.contains("<svg"))
        if let path = ProcessInfo.processInfo.environment["BILLPORT_CONSOLE_DEMO_HTML"] {
            try Data(page.body).write(to: URL(fileURLWithPath: path))
        }
    }
}
