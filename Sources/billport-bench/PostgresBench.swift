import BillportCore
import Foundation
import PostgreSQL
import Queue
import Relational
import SQLite
import TestSupport

/// The `postgres` group: the job queue and the buyer's JSON view on PostgreSQL, beside SQLite's
/// figures measured in the same run. A throwaway server (`TestSupport.PostgresServer`: fsync
/// off, on the same two cores as Billport) holds a fresh database per measurement; workers and
/// API hosts are real `billport` processes on `BILLPORT_DATABASE_URL`.
struct PostgresBench {
    let billport: String
    let directory: String

    static let endToEndJobs = 20_000

    func run(_ report: inout BenchReport) async throws {
        guard PostgresServer.isAvailable else { throw BenchFailure(PostgresServer.missing.rawValue) }
        let server = try PostgresServer(maxConnections: 200)
        defer { server.stop() }
        let sqlite = QueueBench(billport: billport, directory: directory)
        for processes in [1, 2, 4] {
            let onSQLite = try await sqlite.endToEnd(jobs: Self.endToEndJobs, processes: processes, synchronous: .normal)
            report.add("postgres.e2e.sqlite.p\(processes)", onSQLite, "jobs/s", target: "SQLite, same run")
            let onPostgres = try await endToEnd(server, jobs: Self.endToEndJobs, processes: processes)
            report.add("postgres.e2e.p\(processes)", onPostgres, "jobs/s", target: "\(processes) worker process(es)")
        }
        let bulk = try await enqueueBulk(server, count: 100_000, batch: 1000)
        report.add("postgres.enqueue.bulk", bulk, "jobs/s", target: "batches of 1000")
        let (p50, p99) = try await latency(server, samples: 300)
        report.add("postgres.latency.p50_ms", p50, "ms", target: "enqueue -> start, worker in another process")
        report.add("postgres.latency.p99_ms", p99, "ms", target: "< 20", meets: p99 < 20)
        try await PostgresViewBench(billport: billport, directory: directory).run(server, &report)
    }

    /// A new, migrated database on `server` (`billport migrate`, as an operator runs it) and a
    /// job store on it.
    static func freshDatabase(_ server: PostgresServer, _ name: String, billport: String, directory: String) async throws
        -> (store: PostgresJobStore, url: String) {
        try PostgresConnection(server.connectionString).execute("CREATE DATABASE \(name)")
        let url = "postgres://postgres@127.0.0.1:\(server.port)/\(name)"
        let migrate = try HTTPBench.capture(billport, ["migrate"], environment: environment(url: url, directory: directory),
                                            errorFile: directory + "/migrate-\(name).stderr")
        guard migrate.status == 0 else { throw BenchFailure("billport migrate on \(name) exited \(migrate.status): \(migrate.errorText)") }
        let database = try PostgresDatabase(server.connectionString(database: name), maximumConnections: 4)
        return (PostgresJobStore(database: database), url)
    }

    /// What a `billport` process of the bench gets: the database URL, quiet logs, a data
    /// directory of its own under `directory`.
    static func environment(url: String, directory: String, _ extra: [String: String] = [:]) -> [String: String] {
        var environment = HTTPBench.inheritedEnvironment()
        environment["BILLPORT_DATABASE_URL"] = url
        environment["BILLPORT_DATA_DIRECTORY"] = directory + "/pg-host-\(UUID().uuidString.prefix(8))"
        environment["BILLPORT_LOG_LEVEL"] = "warning"
        return environment.merging(extra) { $1 }
    }

    /// `jobs` no-op jobs enqueued first; then `processes` `billport worker` processes start, and
    /// the clock runs until the last job is done (process start-up included), as `QueueBench`.
    func endToEnd(_ server: PostgresServer, jobs: Int, processes: Int) async throws -> Double {
        let (store, url) = try await Self.freshDatabase(server, "e2e_p\(processes)", billport: billport, directory: directory)
        let batch = try (0..<1000).map { _ in try NewJob(kind: "diag.noop", payloadJSON: "{}") }
        for _ in 0..<(jobs / 1000) { _ = try await store.enqueue(batch) }
        let environment = Self.environment(url: url, directory: directory, ["BILLPORT_WORKER_QUEUES": "default=64"])
        let start = ContinuousClock.now
        let workers = try (0..<processes).map { index in
            try HTTPBench.launchLogged(billport, ["worker"], environment: environment, log: directory + "/pg-worker-\(processes)-\(index).log")
        }
        defer { workers.forEach { if $0.isRunning { $0.terminate(); $0.waitUntilExit() } } }
        while try await store.database.read({ db in
            try db.queryOne("SELECT EXISTS (SELECT 1 FROM jobs WHERE state IN ('ready', 'running'))") { $0.bool(0) } ?? false
        }) {
            guard workers.allSatisfy(\.isRunning) else { throw BenchFailure("a worker exited; see \(directory)/pg-worker-*.log") }
            try await Task.sleep(for: .milliseconds(5))
        }
        let rate = Double(jobs) / seconds(since: start)
        let done = try await store.stats().total(.done)
        guard done == jobs else { throw BenchFailure("expected \(jobs) done jobs on PostgreSQL, found \(done)") }
        return rate
    }

    /// `batch` jobs per transaction from this process.
    func enqueueBulk(_ server: PostgresServer, count: Int, batch: Int) async throws -> Double {
        let (store, _) = try await Self.freshDatabase(server, "bulk", billport: billport, directory: directory)
        let jobs = try (0..<batch).map { try NewJob(kind: "diag.noop", payloadJSON: #"{"n":\#($0)}"#) }
        let start = ContinuousClock.now
        for _ in 0..<(count / batch) { _ = try await store.enqueue(jobs) }
        return Double(count) / seconds(since: start)
    }

    /// One idle `billport worker` in another process, polling only every 2 s, so that only its
    /// LISTEN wakes it in time; one job enqueued at a time with idle gaps; the latency is the
    /// job row's `started_at - created_at` (milliseconds: the two clocks are this machine's).
    func latency(_ server: PostgresServer, samples: Int) async throws -> (p50: Double, p99: Double) {
        let (store, url) = try await Self.freshDatabase(server, "latency", billport: billport, directory: directory)
        let environment = Self.environment(url: url, directory: directory,
                                           ["BILLPORT_WORKER_POLL_INTERVAL": "2s", "BILLPORT_WORKER_MAX_POLL_INTERVAL": "2s"])
        let worker = try HTTPBench.launchLogged(billport, ["worker"], environment: environment, log: directory + "/pg-latency-worker.log")
        defer { if worker.isRunning { worker.terminate(); worker.waitUntilExit() } }
        let job = try NewJob(kind: "diag.noop", payloadJSON: "{}")
        // The first job waits for the worker to start and listen; it is not a sample.
        _ = try await waitForStart(of: try await store.enqueue(job).id, store, worker, timeout: .seconds(60))
        var latencies: [Double] = []
        for _ in 0..<samples {
            try await Task.sleep(for: .milliseconds(Int.random(in: 20...60)))  // idle between jobs
            let id = try await store.enqueue(job).id
            latencies.append(try await waitForStart(of: id, store, worker, timeout: .seconds(10)))
        }
        latencies.sort()
        return (latencies[latencies.count / 2], latencies[min(latencies.count - 1, Int(Double(latencies.count) * 0.99))])
    }

    /// Polls job `id` until it has started; its `started_at - created_at` in milliseconds.
    private func waitForStart(of id: Int64, _ store: PostgresJobStore, _ worker: Process, timeout: Duration) async throws -> Double {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let latency = try await store.database.read({ db in
                try db.queryOne("SELECT started_at - created_at FROM jobs WHERE id = ? AND started_at IS NOT NULL", id) { $0.int64(0) }
            }) {
                return Double(latency)
            }
            guard worker.isRunning else { throw BenchFailure("the latency worker exited; see \(directory)/pg-latency-worker.log") }
            try await Task.sleep(for: .milliseconds(1))
        }
        throw BenchFailure("job \(id) did not start within \(timeout)")
    }
}
