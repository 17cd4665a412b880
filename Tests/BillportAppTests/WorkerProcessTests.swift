import BillportCore
import Foundation
import Queue
import Relational
import SQLite
import TestSupport
import Testing

/// Real `billport worker` processes on one database file: killed, signalled, contending.
@Suite(.serialized) struct WorkerProcessTests {
    let billport = ChildProcess.builtProduct("billport")

    struct Cluster {
        let dir = TemporaryDirectory()
        let store: SQLiteJobStore
        let environment: [String: String]

        init(_ extra: [String: String] = [:]) throws {
            let path = dir.file("billport.sqlite")
            let database = try Database(path: path)
            try Migrator.migrate(database, migrations: QueueSchema.migrations)
            store = SQLiteJobStore(database: database)
            environment = ["BILLPORT_DATABASE_PATH": path, "BILLPORT_LOG_LEVEL": "info"].merging(extra) { $1 }
        }

        func count(_ state: JobState) async throws -> Int { try await store.stats().total(state) }

        func runningJobs(of worker: ChildProcess) async throws -> Int {
            try await store.database.read { db in
                try db.queryOne("SELECT count(*) FROM jobs WHERE state = 'running' AND lease_owner LIKE ?", "%:\(worker.pid):%") { $0.int(0) } ?? 0
            }
        }
    }

    func worker(_ cluster: Cluster, _ name: String) throws -> ChildProcess {
        try ChildProcess(billport, ["worker"], directory: cluster.dir.path, environment: cluster.environment, name: name)
    }

    @Test func workersKilledMidJobLoseNothing() async throws {
        #expect(FileManager.default.isExecutableFile(atPath: billport), "build billport first: swift build")
        let cluster = try Cluster(["BILLPORT_QUEUE_LEASE": "2s", "BILLPORT_WORKER_QUEUES": "default=4"])
        func enqueue(_ count: Int) async throws {
            _ = try await cluster.store.enqueue(try (0..<count).map { _ in try NewJob(kind: "diag.sleep", payloadJSON: #"{"ms": 40}"#) })
        }
        var enqueued = 1000
        try await enqueue(enqueued)

        var workers = [try worker(cluster, "w0"), try worker(cluster, "w1")]
        var kills = 0
        var killedWhileRunning = 0
        while kills < 3 {
            let victim = workers[kills % 2]
            // On a loaded machine the workers may drain the queue before the third kill: keep
            // work waiting, so that every kill lands mid-job.
            if try await cluster.count(.ready) < 200 {
                try await enqueue(500)
                enqueued += 500
            }
            // A new worker process starts slowly on a loaded machine (a debug binary, the whole suite beside it).
            try await eventually(timeout: .seconds(90), "worker \(victim.pid) to be mid-job") { try await cluster.runningJobs(of: victim) > 0 }
            killedWhileRunning += try await cluster.runningJobs(of: victim)
            victim.send(SIGKILL)
            _ = try await victim.waitForExit(timeout: .seconds(10))
            workers[kills % 2] = try worker(cluster, "w\(kills + 2)")
            kills += 1
        }
        try await eventually(timeout: .seconds(120), "every job to be done") { try await cluster.count(.done) == enqueued }
        #expect(killedWhileRunning >= 3)
        #expect(try await cluster.count(.dead) == 0)
        #expect(try await cluster.count(.ready) + cluster.count(.running) + cluster.count(.scheduled) == 0)
        // Jobs the killed workers held ran again on another worker after their lease expired.
        let rerun = try await cluster.store.database.read { db in
            try db.queryOne("SELECT count(*) FROM jobs WHERE attempts > 1") { $0.int(0) } ?? 0
        }
        #expect(rerun >= 3)
        for survivor in workers { survivor.send(SIGTERM) }
        for survivor in workers { #expect(try await survivor.waitForExit() == 0) }
    }

    @Test func aJobWhoseWorkerDiesThreeTimesInARowGoesDeadUntilAnOperatorRetriesIt() async throws {
        let cluster = try Cluster(["BILLPORT_QUEUE_LEASE": "2s", "BILLPORT_WORKER_QUEUES": "default=2"])
        let id = try await cluster.store.enqueue(NewJob(kind: "diag.sleep", payloadJSON: #"{"ms": 600000}"#)).id
        // Each worker takes the job and dies with it, as a process that traps on a tenant's data would.
        for round in 1...3 {
            let victim = try worker(cluster, "victim\(round)")
            try await eventually(timeout: .seconds(30), "attempt \(round) to run on worker \(victim.pid)") {
                try await cluster.runningJobs(of: victim) == 1
            }
            victim.send(SIGKILL)
            _ = try await victim.waitForExit(timeout: .seconds(10))
        }
        let bystander = try worker(cluster, "bystander")
        try await eventually(timeout: .seconds(30), "the job to go dead") { try await cluster.store.job(id: id)?.state == .dead }
        let dead = try #require(try await cluster.store.job(id: id))
        #expect(dead.lastError == "worker died while running this job 3 times")
        #expect(dead.attempts == 3, "it was never claimed a fourth time")
        #expect(try await cluster.runningJobs(of: bystander) == 0)

        let retry = try ChildProcess(billport, ["jobs", "retry", "\(id)"], directory: cluster.dir.path, environment: cluster.environment)
        #expect(try await retry.waitForExit() == 0)
        try await eventually(timeout: .seconds(30), "the retried job to run again") { try await cluster.runningJobs(of: bystander) == 1 }
        #expect(try await cluster.store.job(id: id)?.attempts == 4)
        bystander.send(SIGKILL)
        _ = try await bystander.waitForExit(timeout: .seconds(10))
    }

    @Test func fourWorkerProcessesShareTenThousandJobsEachCompletedOnce() async throws {
        let cluster = try Cluster(["BILLPORT_WORKER_QUEUES": "default=16"])
        let jobs = try (0..<10_000).map { try NewJob(kind: "diag.noop", payloadJSON: #"{"n": \#($0)}"#) }
        _ = try await cluster.store.enqueue(jobs)
        let workers = try (0..<4).map { try worker(cluster, "p\($0)") }
        try await eventually(timeout: .seconds(180), "every job to be done") { try await cluster.count(.done) == 10_000 }
        for process in workers { process.send(SIGTERM) }
        for process in workers { #expect(try await process.waitForExit() == 0) }

        let (attempts, owners) = try await cluster.store.database.read { db in
            (try db.queryOne("SELECT count(*) FROM jobs WHERE attempts != 1") { $0.int(0) } ?? -1,
             try db.queryOne("SELECT count(DISTINCT lease_owner) FROM jobs") { $0.int(0) } ?? -1)
        }
        #expect(attempts == 0, "a job ran more than once without any crash")
        #expect(owners == 0, "finished jobs keep no lease")
        #expect(try await cluster.count(.dead) == 0)
        let logs = workers.map(\.stderr).joined(separator: "\n")
        #expect(!logs.contains("SQLite error"), "a database error reached a caller:\n\(logs.prefix(2000))")
        #expect(!logs.contains("failed"))
    }

    @Test func sigtermLetsARunningJobFinishThenExitsZero() async throws {
        let cluster = try Cluster(["BILLPORT_WORKER_SHUTDOWN_GRACE": "20s"])
        let id = try await cluster.store.enqueue(NewJob(kind: "diag.sleep", payloadJSON: #"{"ms": 700}"#)).id
        let process = try worker(cluster, "graceful")
        try await eventually("the job to start") { try await cluster.store.job(id: id)?.state == .running }
        process.send(SIGTERM)
        #expect(try await process.waitForExit() == 0)
        #expect(try await cluster.store.job(id: id)?.state == .done)
        #expect(process.stderr.contains("shutting down: no new work, draining what runs"))
    }

    @Test func aLockedDatabaseGivesOneClearLineAndNoDataLost() async throws {
        let cluster = try Cluster(["BILLPORT_DATABASE_BUSY_TIMEOUT": "300ms"])
        let id = try await cluster.store.enqueue(NewJob(kind: "diag.noop", payloadJSON: "{}")).id
        // Another process holds an exclusive lock (e.g. a backup tool); a write must fail cleanly.
        try cluster.store.database.withWriterConnection { try $0.execute("BEGIN EXCLUSIVE") }
        let blocked = try ChildProcess(billport, ["jobs", "cancel", "\(id)"], directory: cluster.dir.path,
                                       environment: cluster.environment.merging(["BILLPORT_LOG_LEVEL": "error"]) { $1 })
        let status = try await blocked.waitForExit(timeout: .seconds(120))
        try cluster.store.database.withWriterConnection { try $0.execute("ROLLBACK") }
        #expect(status == 1)
        let lines = blocked.stderr.split(separator: "\n")
        #expect(lines.count == 1)
        #expect(lines.first?.contains("database is locked") == true)
        #expect(try await cluster.store.job(id: id)?.state == .ready)
    }

    @Test func aFileThatIsNotADatabaseIsRefusedAndLeftUntouched() async throws {
        let dir = TemporaryDirectory()
        let path = dir.file("notes.sqlite")
        try Data("these are my notes, not a database\n".utf8).write(to: URL(fileURLWithPath: path))
        let process = try ChildProcess(billport, ["worker"], directory: dir.path, environment: ["BILLPORT_DATABASE_PATH": path])
        #expect(try await process.waitForExit() == 1)
        let lines = process.stderr.split(separator: "\n")
        #expect(lines.count == 1)
        #expect(lines.first?.hasPrefix("billport: cannot open the database \(path): SQLite error 26 (file is not a database)") == true)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "these are my notes, not a database\n")
    }
}
