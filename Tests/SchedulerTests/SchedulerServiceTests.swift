import BillportCore
import Foundation
import Queue
import Scheduler
import Relational
import SQLite
import TestSupport
import Testing

/// Two scheduler processes (two holders) on one database (SQLite, or PostgreSQL with
/// `BILLPORT_TEST_BACKEND=postgres`), on one manual clock.
struct SchedulerFixture {
    static let migrations = TestMigrations(sqlite: QueueSchema.migrations + SchedulerSchema.migrations,
                                           postgres: QueueSchema.postgresMigrations + SchedulerSchema.postgresMigrations)

    let test: TestDatabase
    let clock = ManualClock(ISO8601.parse("2026-11-22T10:00:30Z")!)
    let jobs: any SQLJobStore
    let store: SQLScheduleStore
    let logs = InMemoryLogHandler()

    init(backend: TestBackend = .selected) throws {
        test = try TestDatabase(migrations: Self.migrations, backend: backend)
        jobs = try JobStores.store(on: test.database, clock: clock)
        store = SQLScheduleStore(database: test.database, jobs: jobs)
    }

    func scheduler(_ holder: String, _ schedules: [Schedule]) -> SchedulerService {
        SchedulerService(store: store, configuration: .init(schedules: schedules, leaseDuration: .seconds(30), holder: holder),
                         clock: clock, logger: logs.logger())
    }

    func jobCount(_ kind: String) async throws -> Int {
        try await jobs.jobs(state: nil, queue: nil, kind: kind, limit: 1000, beforeID: nil).count
    }
}

@Suite struct SchedulerServiceTests {
    let everyMinute = try! Schedule(name: "views", spec: .every(.seconds(60)), kind: "views.aggregate")

    @Test func firesEachSlotOnceWithItsUniqueKey() async throws {
        let f = try SchedulerFixture()
        let a = f.scheduler("a", [everyMinute])
        #expect(try await a.tick() == SchedulerTick(isLeader: true)) // first sight: counts from now
        f.clock.advance(by: .seconds(29))
        #expect(try await a.tick().fired.isEmpty)
        f.clock.advance(by: .seconds(1)) // 10:01:00
        let tick = try await a.tick()
        #expect(tick.fired.map(\.slot) == [ISO8601.parse("2026-11-22T10:01:00Z")!])
        let job = try #require(try await f.jobs.job(id: tick.fired[0].jobID))
        #expect(job.kind == "views.aggregate")
        #expect(job.uniqueKey == "schedule:views:2026-11-22T10:01:00Z")
        #expect(try await a.tick().fired.isEmpty)
        #expect(try await f.jobCount("views.aggregate") == 1)
    }

    @Test func onlyTheLeaderFiresAndAnotherTakesOverWhenItsLeaseLapses() async throws {
        let f = try SchedulerFixture()
        let a = f.scheduler("a", [everyMinute])
        let b = f.scheduler("b", [everyMinute])
        #expect(try await a.tick().isLeader)
        #expect(try await b.tick().isLeader == false)
        f.clock.advance(by: .seconds(30)) // 10:01:00, a renews
        #expect(try await a.tick().fired.count == 1)
        #expect(try await b.tick().isLeader == false)
        // a dies: no more ticks from it. b waits out the lease.
        f.clock.advance(by: .seconds(29))
        #expect(try await b.tick().isLeader == false)
        f.clock.advance(by: .seconds(2)) // 10:01:31, lease expired at 10:01:30
        let takeover = try await b.tick()
        #expect(takeover.isLeader)
        #expect(try await f.store.leader()?.holder == "b")
        f.clock.advance(by: .seconds(30)) // 10:02:01
        #expect(try await b.tick().fired.map(\.slot) == [ISO8601.parse("2026-11-22T10:02:00Z")!])
        #expect(try await a.tick().isLeader == false) // a comes back: b leads
        #expect(try await f.jobCount("views.aggregate") == 2)
    }

    @Test func aResigningLeaderIsReplacedAtOnce() async throws {
        let f = try SchedulerFixture()
        let a = f.scheduler("a", [everyMinute])
        let b = f.scheduler("b", [everyMinute])
        #expect(try await a.tick().isLeader)
        try await f.store.resign(holder: "a")
        #expect(try await b.tick().isLeader)
    }

    @Test func afterDowntimeAMissedScheduleFiresOnceNotOncePerSlot() async throws {
        let f = try SchedulerFixture()
        let a = f.scheduler("a", [everyMinute])
        _ = try await a.tick()
        f.clock.advance(by: .seconds(3 * 3600)) // three hours down: 180 missed slots
        let tick = try await a.tick()
        #expect(tick.fired.count == 1)
        #expect(tick.fired[0].slot == ISO8601.parse("2026-11-22T10:01:00Z")!)
        let state = try #require(try await f.store.states().first)
        #expect(state.nextRunAt == ISO8601.parse("2026-11-22T13:01:00Z")!)
        #expect(try await a.tick().fired.isEmpty)
    }

    @Test func aDoubleFiringOfTheSameSlotEnqueuesOneJob() async throws {
        let f = try SchedulerFixture()
        let a = f.scheduler("a", [everyMinute])
        _ = try await a.tick()
        f.clock.advance(by: .seconds(30))
        let first = try await a.tick()
        // Simulate a second firing of the same slot (state rolled back, e.g. restored file).
        try await f.test.database.write { try $0.execute("UPDATE schedules SET next_run_at = ?", ISO8601.parse("2026-11-22T10:01:00Z")!) }
        let second = try await a.tick()
        #expect(second.fired.map(\.jobID) == first.fired.map(\.jobID))
        #expect(try await f.jobCount("views.aggregate") == 1)
    }

    @Test func cronSchedulesFireAtTheirMinuteInUTC() async throws {
        let f = try SchedulerFixture()
        let reminders = try Schedule(name: "reminders", spec: .cron(CronExpression("0 8 * * *")), kind: "reminders.overdue")
        let a = f.scheduler("a", [reminders])
        _ = try await a.tick()
        #expect(try await f.store.states().first?.nextRunAt == ISO8601.parse("2026-11-23T08:00:00Z")!)
        f.clock.set(ISO8601.parse("2026-11-23T08:00:05Z")!)
        #expect(try await a.tick().fired.map(\.schedule) == ["reminders"])
    }

    @Test func aChangedSpecRestartsTheCountAndRemovedSchedulesAreForgotten() async throws {
        let f = try SchedulerFixture()
        _ = try await f.scheduler("a", [everyMinute]).tick()
        let hourly = try Schedule(name: "views", spec: .every(.seconds(3600)), kind: "views.aggregate")
        _ = try await f.scheduler("a", [hourly]).tick()
        #expect(try await f.store.states().map(\.spec) == ["every 1h"])
        #expect(try await f.store.states().first?.nextRunAt == ISO8601.parse("2026-11-22T11:00:00Z")!)
        _ = try await f.scheduler("a", []).tick()
        #expect(try await f.store.states().isEmpty)
    }

    @Test func runFiresThenResignsOnShutdown() async throws {
        let f = try SchedulerFixture()
        let service = SchedulerService(
            store: f.store, configuration: .init(schedules: [everyMinute], tickInterval: .milliseconds(10), holder: "svc"),
            clock: f.clock, logger: f.logs.logger())
        let shutdown = ShutdownSignal()
        let running = Task { try await service.run(until: shutdown) }
        try await eventually("the service to lead") { try await f.store.leader()?.holder == "svc" }
        f.clock.advance(by: .seconds(30))
        try await eventually("the schedule to fire") { try await f.jobCount("views.aggregate") == 1 }
        shutdown.trigger()
        try await running.value
        #expect(try await f.store.leader() == nil)
        #expect(f.logs.text.contains("schedule fired"))
    }
}

@Suite struct ScheduleSpecTests {
    @Test func intervalsAlignToTheEpochSoEveryProcessAgrees() {
        let spec = ScheduleSpec.every(.seconds(3600))
        #expect(spec.nextDate(after: ISO8601.parse("2026-11-22T10:17:00Z")!) == ISO8601.parse("2026-11-22T11:00:00Z")!)
        #expect(spec.nextDate(after: ISO8601.parse("2026-11-22T11:00:00Z")!) == ISO8601.parse("2026-11-22T12:00:00Z")!)
        #expect(ScheduleSpec.every(.seconds(300)).description == "every 5m")
    }

    @Test func aScheduleWithAnInvalidJobIsRejected() {
        #expect(throws: JobValidationError.self) { try Schedule(name: "x", spec: .every(.seconds(60)), kind: "Bad Kind") }
        #expect(throws: JobValidationError.self) {
            try Schedule(name: "x", spec: .every(.seconds(60)), kind: "ok", payloadJSON: "{oops")
        }
    }
}
