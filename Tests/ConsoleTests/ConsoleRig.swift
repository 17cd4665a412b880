import BillportCore
import Console
import Foundation
import HTTPClient
import HTTPServer
import Queue
import Scheduler
import Relational
import SQLite
import TestSupport

/// A queue with a job in every state, a running schedule and its leader, and the console over
/// it on a real HTTP server on an ephemeral port, reached with the real HTTP client.
struct ConsoleRig {
    static let hostileError = "<script>alert('owned')</script> & \"quoted\""

    let temp: TemporaryDatabase
    let clock: ManualClock
    let jobs: SQLiteJobStore
    let ids: [String: Int64]

    init() async throws {
        temp = try TemporaryDatabase(migrations: QueueSchema.migrations + SchedulerSchema.migrations)
        clock = ManualClock()
        jobs = SQLiteJobStore(database: temp.database, clock: clock)
        ids = try await Self.fill(jobs, now: clock.now())
        let scheduler = SQLScheduleStore(jobs: jobs)
        _ = try await scheduler.tick(holder: "host-a:4242", leaseDuration: .seconds(30), schedules: Self.schedules, now: clock.now())
        clock.advance(by: .seconds(90))
        _ = try await scheduler.tick(holder: "host-a:4242", leaseDuration: .seconds(30), schedules: Self.schedules, now: clock.now())
    }

    /// One job in each state, by name: ready, later (scheduled), running, done, retrying, dead, cancelled.
    static func fill(_ jobs: SQLiteJobStore, now: Date) async throws -> [String: Int64] {
        var ids: [String: Int64] = [:]
        for (name, queue, runAt) in [("ready", "default", nil), ("later", "default", now.addingTimeInterval(3600)), ("cancelled", "default", nil)] {
            ids[name] = try await jobs.enqueue(NewJob(kind: "diag.\(name)", payloadJSON: "{}", queue: queue, runAt: runAt)).id
        }
        _ = try await jobs.cancel(id: ids["cancelled"]!)
        // Each claimed alone, so that its outcome is the one given here.
        let outcomes: [(String, JobOutcome?)] = [
            ("running", nil), ("done", .completed), ("retrying", .retry(error: "SMTP 451: try again later", at: now.addingTimeInterval(300))),
            ("dead", .dead(error: hostileError)),
        ]
        for (name, outcome) in outcomes {
            ids[name] = try await jobs.enqueue(NewJob(kind: "diag.\(name)", payloadJSON: "{}", queue: "mail")).id
            let claim = try await jobs.claim(queue: "mail", limit: 1, worker: "w1", acknowledging: [])
            if let outcome { try await jobs.acknowledge([Acknowledgement(lease: claim[0].lease, outcome: outcome)]) }
        }
        return ids
    }

    static var schedules: [Schedule] {
        [try! Schedule(name: "views.aggregate", spec: .every(.seconds(60)), kind: "views.aggregate")]
    }

    func console(csrf: ConsoleCSRF = ConsoleCSRF()) -> OperatorConsole {
        OperatorConsole(jobs: jobs, schedules: Self.schedules, clock: clock, csrf: csrf)
    }

    func state(_ name: String) async throws -> JobState? {
        try await jobs.job(id: ids[name]!)?.state
    }

    /// Runs `body` with a client of a live server answering with `console`.
    func withLiveConsole(_ console: OperatorConsole, _ body: (ConsoleClient) async throws -> Void) async throws {
        let server = HTTPServer(configuration: HTTPServerConfiguration(host: "127.0.0.1", port: 0)) { await console.handle($0) }
        let port = try server.start()
        do {
            try await body(ConsoleClient(base: "http://127.0.0.1:\(port)", client: try HTTPClient()))
        } catch {
            await server.shutdown(gracePeriod: .milliseconds(100))
            throw error
        }
        await server.shutdown(gracePeriod: .milliseconds(100))
    }
}

/// A browser's side of the console, by hand: it keeps nothing between requests.
struct ConsoleClient {
    let base: String
    let client: HTTPClient

    func get(_ path: String, headers: HTTPHeaders = [:]) async throws -> HTTPClientResponse {
        try await client.send(HTTPClientRequest(url: base + path, headers: headers))
    }

    /// Posts a form with `token` in its field and `cookie` as the CSRF cookie (nil: left out).
    func postRetry(_ id: Int64, token: String?, cookie: String?, origin: String? = nil) async throws -> HTTPClientResponse {
        var headers: HTTPHeaders = ["Content-Type": "application/x-www-form-urlencoded"]
        if let cookie { headers.add("Cookie", "theme=dark; \(ConsoleCSRF.cookieName)=\(cookie)") }
        if let origin { headers.add("Origin", origin) }
        let form = token.map { "\(ConsoleCSRF.fieldName)=\($0)" } ?? "other=1"
        return try await client.send(HTTPClientRequest(method: .post, url: base + "/jobs/\(id)/retry", headers: headers, body: Array(form.utf8)))
    }

    /// The page's token (from its retry forms) and the cookie it set.
    func tokenAndCookie() async throws -> (token: String, cookie: String) {
        let page = try await get("/")
        let token = page.text.firstMatch(of: #/name="csrf" value="([^"]+)"/#).map { String($0.output.1) } ?? ""
        let cookie = page.headers["Set-Cookie"]?.firstMatch(of: #/billport_console_csrf=([^;]+)/#).map { String($0.output.1) } ?? ""
        return (token, cookie)
    }
}
