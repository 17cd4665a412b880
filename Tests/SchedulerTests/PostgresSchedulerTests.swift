import BillportCore
import Foundation
import PostgreSQL
import Queue
import Scheduler
import TestSupport
import Testing

@Suite(.enabled(if: PostgresServer.isAvailable, PostgresServer.missing))
struct PostgresSchedulerTests {
    let everyMinute = try! Schedule(name: "views", spec: .every(.seconds(60)), kind: "views.aggregate")

    @Test func twoHostsTickingTogetherNeverBothLeadAndFireEachSlotOnce() async throws {
        let f = try SchedulerFixture(backend: .postgres)
        let connectionString = try #require(f.test.connectionString)
        // Each host has its own pool, so their ticks really run side by side.
        func host(_ holder: String) throws -> SchedulerService {
            let database = try PostgresDatabase(connectionString, maximumConnections: 2)
            let store = SQLScheduleStore(database: database, jobs: PostgresJobStore(database: database, clock: f.clock))
            return SchedulerService(store: store, configuration: .init(schedules: [everyMinute], leaseDuration: .seconds(30), holder: holder),
                                    clock: f.clock, logger: f.logs.logger())
        }
        let a = try host("a")
        let b = try host("b")
        var firings: [SchedulerTick.Firing] = []
        for round in 0..<90 {
            f.clock.advance(by: .seconds(20))
            if round < 45 {
                async let first = a.tick()
                async let second = b.tick()
                let ticks = try await [first, second]
                #expect(ticks.filter(\.isLeader).count == 1, "round \(round)")
                firings += ticks.flatMap(\.fired)
            } else {
                // Host a is gone: b leads once a's lease has run out, and never fires a slot again.
                firings += try await b.tick().fired
            }
        }
        let slots = firings.map(\.slot)
        #expect(Set(slots).count == slots.count)
        #expect(slots.count >= 28) // 30 minutes of a schedule every minute, from the first tick on
        #expect(try await f.jobCount("views.aggregate") == slots.count)
        #expect(try await f.store.leader()?.holder == "b")
    }
}
