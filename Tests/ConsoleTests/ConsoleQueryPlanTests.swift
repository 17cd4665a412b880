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

/// The queue page on a queue with a long history: its lists reach the jobs table through
/// partial indexes, so a page costs the same whether 100 or 100,000 jobs finished.
@Suite struct ConsoleQueryPlanTests {
    /// Statements allowed to read every job, each with why: the counts per queue and state are
    /// `billport jobs stats`, whose cost grows with the jobs that retention keeps (done 7 days,
    /// dead 30); the lists below them must not add to it.
    static let allowedScans: [String: String] = [
        "SELECT queue, state, count(*) FROM jobs GROUP BY queue, state": "a count of every job by queue and state",
        "SELECT queue, min(run_at) FROM jobs WHERE state = 'ready' GROUP BY queue": "walks the ready jobs only (partial index)",
    ]

    @Test func theListsUseTheirIndexes() async throws {
        let temp = try TemporaryDatabase(migrations: QueueSchema.migrations + SchedulerSchema.migrations)
        // 30,000 finished jobs, 5,000 delayed ones, 200 failing and 300 dead.
        try temp.database.writeBlocking { db in
            try db.execute("""
                WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 35500)
                INSERT INTO jobs (queue, kind, payload, state, run_at, attempts, max_attempts, created_at, started_at, finished_at, last_error)
                SELECT CASE i % 3 WHEN 0 THEN 'mail' ELSE 'default' END, 'diag.noop', '{}',
                    CASE WHEN i <= 30000 THEN 'done' WHEN i <= 35000 THEN 'scheduled' WHEN i <= 35200 THEN 'scheduled' ELSE 'dead' END,
                    i, 1, 20, i, i, CASE WHEN i <= 30000 OR i > 35200 THEN i END, CASE WHEN i > 35000 THEN 'failed ' || i END
                FROM n
                """)
            try db.execute("ANALYZE")
        }
        // A process of its own, so that its statements are only the page's.
        let database = try Database(path: temp.path)
        let console = OperatorConsole(jobs: SQLiteJobStore(database: database), schedules: [])
        let page = await console.handle(HTTPRequest(method: .get, path: "/"))
        #expect(page.status == 200)
        let html = String(decoding: page.body, as: UTF8.self)
        #expect(html.contains("failed 35200") && !html.contains("failed 35150"))
        #expect(html.contains("failed 35500") && !html.contains("failed 35450"))

        // The lists' own statements, by name, are among those checked.
        let statements = try database.preparedStatements()
        #expect(statements.contains { $0.contains("state = 'scheduled' AND last_error IS NOT NULL") })
        #expect(statements.contains { $0.contains("AND state = 'dead'") })
        var problems: [String: [String]] = [:]
        for sql in statements where !["PRAGMA", "BEGIN", "COMMIT", "ROLLBACK"].contains(where: sql.hasPrefix) {
            let found = try QueryPlan.problems(of: sql, in: database, growing: ["jobs"])
            if !found.isEmpty, Self.allowedScans[sql] == nil { problems[sql] = found }
        }
        #expect(problems.isEmpty, "\(problems)")
    }
}
