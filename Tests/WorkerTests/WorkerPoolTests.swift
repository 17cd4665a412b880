import BillportCore
import Foundation
import Queue
import Relational
import SQLite
import Synchronization
import TestSupport
import Testing
import Worker

/// A running pool over a fresh database (SQLite, or PostgreSQL with
/// `BILLPORT_TEST_BACKEND=postgres`), stopped by `stop()`.
final class RunningPool: Sendable {
    let test: TestDatabase
    let store: any SQLJobStore
    let shutdown = ShutdownSignal()
    let logs = InMemoryLogHandler()
    private let task: Task<Void, any Error>

    init(queue: QueueConfiguration = .init(defaultMaxAttempts: 3),
         worker: WorkerConfiguration = .init(queues: ["default": 4], heartbeatInterval: .milliseconds(50)),
         retry: RetryPolicy = .init(base: .milliseconds(10), maximum: .milliseconds(10), jitter: 0),
         register: (inout JobHandlers) -> Void) throws {
        test = try TestDatabase(migrations: TestMigrations(sqlite: QueueSchema.migrations, postgres: QueueSchema.postgresMigrations))
        store = try JobStores.store(on: test.database, configuration: queue)
        var handlers = JobHandlers()
        handlers.registerBuiltins(store: store, configuration: queue)
        register(&handlers)
        let pool = WorkerPool(store: store, handlers: handlers, configuration: worker, retryPolicy: retry, logger: logs.logger())
        let shutdown = self.shutdown
        task = Task { try await pool.run(until: shutdown) }
    }

    @discardableResult
    func enqueue(_ kind: String, _ payload: String = "{}", maxAttempts: Int? = nil) async throws -> Int64 {
        try await store.enqueue(NewJob(kind: kind, payloadJSON: payload, maxAttempts: maxAttempts)).id
    }

    func job(_ id: Int64) async throws -> JobRecord { try #require(try await store.job(id: id)) }

    func waitFor(_ id: Int64, _ state: JobState) async throws {
        // Generous: alone this takes well under a second, but the suite runs beside throwaway
        // PostgreSQL servers on two cores, where a retry's next claim can wait its turn for long.
        try await eventually(timeout: .seconds(90), "job \(id) to be \(state)") { try await self.store.job(id: id)?.state == state }
    }

    func stop() async throws {
        shutdown.trigger()
        try await task.value
    }
}

/// A gate a test opens to let blocked handlers go on.
final class Gate: Sendable {
    private let open = ShutdownSignal()
    private let counters = Mutex((entered: 0, running: 0, maxRunning: 0))
    func pass() async {
        counters.withLock { $0.entered += 1; $0.running += 1; $0.maxRunning = max($0.maxRunning, $0.running) }
        await open.wait()
        counters.withLock { $0.running -= 1 }
    }
    func release() { open.trigger() }
    var entered: Int { counters.withLock { $0.entered } }
    var maxRunning: Int { counters.withLock { $0.maxRunning } }
}

@Suite struct WorkerPoolTests {
    @Test func runsAJobEnqueuedInThisProcessAndMarksItDone() async throws {
        let seen = Mutex<[String]>([])
        let pool = try RunningPool { handlers in
            handlers.register("test.echo") { context in seen.withLock { $0.append(context.job.payload) } }
        }
        let id = try await pool.enqueue("test.echo", #"{"hello":"world"}"#)
        try await pool.waitFor(id, .done)
        #expect(seen.withLock { $0 } == [#"{"hello":"world"}"#])
        try await pool.stop()
    }

    @Test func aFailingJobIsRetriedThenDeadWithItsLastError() async throws {
        let attempts = Mutex(0)
        let pool = try RunningPool { handlers in
            handlers.register("test.flaky") { _ in
                let n = attempts.withLock { $0 += 1; return $0 }
                throw TestFailure(text: "upstream said no (\(n))")
            }
        }
        let id = try await pool.enqueue("test.flaky", maxAttempts: 3)
        try await pool.waitFor(id, .dead)
        let record = try await pool.job(id)
        #expect(record.attempts == 3)
        #expect(record.lastError == "upstream said no (3) (attempt 3 of 3; no attempts left)")
        #expect(attempts.withLock { $0 } == 3)
        #expect(pool.logs.text.contains("job failed; will retry"))
        try await pool.stop()
    }

    @Test func anUnknownKindIsDeadAtOnceWithAClearError() async throws {
        let pool = try RunningPool { _ in }
        let id = try await pool.enqueue("nobody.handles.this")
        try await pool.waitFor(id, .dead)
        let record = try await pool.job(id)
        #expect(record.attempts == 1)
        #expect(record.lastError?.hasPrefix(#"no handler for job kind "nobody.handles.this" (this worker handles: diag.noop"#) == true)
        try await pool.stop()
    }

    @Test func aMalformedPayloadIsDeadAtOnceNamingTheField() async throws {
        let pool = try RunningPool { _ in }
        let id = try await pool.enqueue("diag.sleep", #"{"milliseconds": 5}"#)
        try await pool.waitFor(id, .dead)
        #expect(try await pool.job(id).lastError == "payload is not valid for diag.sleep: missing key 'ms'")
        #expect(try await pool.job(id).attempts == 1)
        try await pool.stop()
    }

    @Test func aJobRunningPastItsTimeoutFailsAndIsRetried() async throws {
        let pool = try RunningPool(worker: .init(queues: ["default": 2], jobTimeout: .milliseconds(100))) { _ in }
        let id = try await pool.enqueue("diag.sleep", #"{"ms": 60000}"#, maxAttempts: 2)
        try await pool.waitFor(id, .dead)
        let record = try await pool.job(id)
        #expect(record.attempts == 2)
        #expect(record.lastError == "timed out after 100ms (attempt 2 of 2; no attempts left)")
        try await pool.stop()
    }

    @Test func neverRunsMoreJobsOfAQueueThanItsConcurrency() async throws {
        let gate = Gate()
        let pool = try RunningPool(worker: .init(queues: ["default": 2])) { handlers in
            handlers.register("test.gated") { _ in await gate.pass() }
        }
        var ids: [Int64] = []
        for _ in 0..<6 { ids.append(try await pool.enqueue("test.gated")) }
        try await eventually("two jobs to start") { gate.entered == 2 }
        #expect(try await pool.store.stats().total(.running) == 2)
        gate.release()
        for id in ids { try await pool.waitFor(id, .done) }
        #expect(gate.maxRunning == 2)
        try await pool.stop()
    }

    @Test func shutdownLetsRunningJobsFinishWithinTheGracePeriod() async throws {
        let gate = Gate()
        let pool = try RunningPool(worker: .init(queues: ["default": 2], shutdownGracePeriod: .seconds(10))) { handlers in
            handlers.register("test.gated") { _ in await gate.pass() }
        }
        let id = try await pool.enqueue("test.gated")
        try await eventually("the job to start") { gate.entered == 1 }
        pool.shutdown.trigger()
        let queued = try await pool.enqueue("test.gated")  // arrives during the drain: not claimed
        gate.release()
        try await pool.stop()
        #expect(try await pool.job(id).state == .done)
        #expect(try await pool.job(queued).state == .ready)
    }

    @Test func shutdownGivesJobsBackToReadyWhenTheGracePeriodEnds() async throws {
        let pool = try RunningPool(worker: .init(queues: ["default": 2], shutdownGracePeriod: .milliseconds(100))) { _ in }
        let id = try await pool.enqueue("diag.sleep", #"{"ms": 60000}"#)
        try await pool.waitFor(id, .running)
        try await pool.stop()
        let record = try await pool.job(id)
        #expect(record.state == .ready)
        #expect(record.attempts == 0)
        #expect(record.leaseOwner == nil)
        #expect(pool.logs.text.contains("grace period over: giving running jobs back to ready"))
    }

    @Test func cancellingARunningJobStopsItsHandlerAtTheNextHeartbeat() async throws {
        let stopped = ShutdownSignal()
        let pool = try RunningPool { handlers in
            handlers.register("test.long") { _ in
                do { try await Task.sleep(for: .seconds(60)) } catch { stopped.trigger(); throw error }
            }
        }
        let id = try await pool.enqueue("test.long")
        try await pool.waitFor(id, .running)
        _ = try await pool.store.cancel(id: id)
        try await eventually("the handler to be cancelled") { stopped.isTriggered }
        #expect(try await pool.job(id).state == .cancelled)
        try await pool.stop()
    }

    @Test func aSnoozedJobRunsAgainWithoutSpendingAnAttempt() async throws {
        let runs = Mutex(0)
        let pool = try RunningPool { handlers in
            handlers.register("test.snoozy") { _ in
                if runs.withLock({ $0 += 1; return $0 }) == 1 { throw JobError.snooze(.milliseconds(20)) }
            }
        }
        let id = try await pool.enqueue("test.snoozy", maxAttempts: 1)
        try await pool.waitFor(id, .done)
        #expect(runs.withLock { $0 } == 2)
        #expect(try await pool.job(id).attempts == 1)
        try await pool.stop()
    }
}

struct TestFailure: Error, CustomStringConvertible {
    let text: String
    var description: String { text }
}
