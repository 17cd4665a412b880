import Billing
import BillportCore
import Foundation
import Queue
import Relational
import SQLite
import Synchronization
import Worker

/// The `queue` group: enqueue rates, end-to-end rates with real worker processes, and
/// enqueue-to-start latency with idle in-process workers.
struct QueueBench {
    let billport: String
    let directory: String

    func run(_ report: inout BenchReport) async throws {
        let single = try await enqueueSingle(count: 5000)
        report.add("queue.enqueue.single", single, "jobs/s", target: "one per transaction")
        let bulk = try await enqueueBulk(count: 200_000, batch: 1000)
        report.add("queue.enqueue.bulk", bulk, "jobs/s", target: ">= 50000", meets: bulk >= 50_000)
        for processes in [1, 2, 4] {
            let rate = try await endToEnd(jobs: 40_000, processes: processes, synchronous: .normal)
            report.add("queue.e2e.p\(processes)", rate, "jobs/s", target: processes == 1 ? ">= 10000" : "",
                       meets: processes == 1 ? rate >= 10_000 : nil)
        }
        let full = try await endToEnd(jobs: 20_000, processes: 1, synchronous: .full)
        report.add("queue.e2e.p1.full", full, "jobs/s", target: "synchronous FULL")
        let (p50, p99) = try await latency(samples: 400)
        report.add("queue.latency.p50_ms", p50, "ms")
        report.add("queue.latency.p99_ms", p99, "ms", target: "< 20", meets: p99 < 20)
    }

    private func freshStore(_ name: String, synchronous: DatabaseConfiguration.Synchronous = .normal) throws -> SQLiteJobStore {
        let path = directory + "/\(name).sqlite"
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        let database = try Database(path: path, configuration: .init(synchronous: synchronous))
        try Migrator.migrate(database, migrations: QueueSchema.migrations)
        return SQLiteJobStore(database: database)
    }

    /// One enqueue per transaction, awaited one after another.
    func enqueueSingle(count: Int) async throws -> Double {
        let store = try freshStore("single")
        let job = try NewJob(kind: "diag.noop", payloadJSON: "{}")
        let start = ContinuousClock.now
        for _ in 0..<count { _ = try await store.enqueue(job) }
        return Double(count) / seconds(since: start)
    }

    /// `batch` jobs per transaction.
    func enqueueBulk(count: Int, batch: Int) async throws -> Double {
        let store = try freshStore("bulk")
        let jobs = try (0..<batch).map { try NewJob(kind: "diag.noop", payloadJSON: #"{"n":\#($0)}"#) }
        let start = ContinuousClock.now
        for _ in 0..<(count / batch) { _ = try await store.enqueue(jobs) }
        return Double(count) / seconds(since: start)
    }

    /// `jobs` no-op jobs enqueued first; then `processes` real `billport worker` processes
    /// start, and the clock runs until the last job is done (process start-up included).
    func endToEnd(jobs: Int, processes: Int, synchronous: DatabaseConfiguration.Synchronous) async throws -> Double {
        let store = try freshStore("e2e-\(processes)-\(synchronous.rawValue)", synchronous: synchronous)
        let batch = try (0..<1000).map { _ in try NewJob(kind: "diag.noop", payloadJSON: "{}") }
        for _ in 0..<(jobs / 1000) { _ = try await store.enqueue(batch) }
        let environment = [
            "BILLPORT_DATABASE_PATH": store.database.path,
            "BILLPORT_DATABASE_SYNCHRONOUS": synchronous.rawValue.lowercased(),
            "BILLPORT_WORKER_QUEUES": "default=64",
            "BILLPORT_LOG_LEVEL": "warning",
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
        ]
        let start = ContinuousClock.now
        let workers = try (0..<processes).map { _ in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: billport)
            process.arguments = ["worker"]
            process.environment = environment
            process.currentDirectoryURL = URL(fileURLWithPath: directory)
            try process.run()
            return process
        }
        while try await store.database.read({ db in
            try db.queryOne("SELECT EXISTS (SELECT 1 FROM jobs WHERE state IN ('ready', 'running'))") { $0.bool(0) } ?? false
        }) {
            try await Task.sleep(for: .milliseconds(2))
        }
        let rate = Double(jobs) / seconds(since: start)
        workers.forEach { $0.terminate() }
        workers.forEach { $0.waitUntilExit() }
        let done = try await store.stats().total(.done)
        guard done == jobs else { throw BenchFailure("expected \(jobs) done jobs, found \(done)") }
        return rate
    }

    /// Idle in-process workers; one job enqueued at a time; time from enqueue to handler start.
    func latency(samples: Int) async throws -> (p50: Double, p99: Double) {
        let store = try freshStore("latency")
        let started = Mutex<[Int64: ContinuousClock.Instant]>([:])
        let seen = Doorbell()
        var handlers = JobHandlers()
        handlers.register("bench.mark") { context in
            started.withLock { $0[context.job.id] = .now }
            seen.ring()
        }
        let pool = WorkerPool(store: store, handlers: handlers, configuration: .init(queues: ["default": 4]), logger: .disabled)
        let shutdown = ShutdownSignal()
        let running = Task { try await pool.run(until: shutdown) }
        try await Task.sleep(for: .milliseconds(200))  // let the workers reach their idle wait
        let job = try NewJob(kind: "bench.mark", payloadJSON: "{}")
        var latencies: [Double] = []
        for _ in 0..<samples {
            let enqueuedAt = ContinuousClock.now
            let id = try await store.enqueue(job).id
            while started.withLock({ $0[id] }) == nil { await seen.wait(timeout: .milliseconds(100)) }
            let startedAt = started.withLock { $0[id]! }
            latencies.append(Double((startedAt - enqueuedAt).components.attoseconds) / 1e15
                             + Double((startedAt - enqueuedAt).components.seconds) * 1000)
            try await Task.sleep(for: .milliseconds(Int.random(in: 2...10)))  // idle between jobs
        }
        shutdown.trigger()
        try await running.value
        latencies.sort()
        return (latencies[latencies.count / 2], latencies[min(latencies.count - 1, Int(Double(latencies.count) * 0.99))])
    }
}

struct BenchFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Drops the `pdf.render` jobs that issuing the bench's invoices enqueued: the benches measure
/// invoices issued long ago, whose PDFs were rendered then, and a backlog of renders would
/// compete with what they time.
func dropPendingRenders(_ database: Database) async throws {
    try await database.write { db in try db.execute("DELETE FROM jobs WHERE kind = ?", BillingJob.renderPDF.name) }
}
