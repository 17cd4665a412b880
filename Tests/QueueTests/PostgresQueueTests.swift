import BillportCore
import Foundation
import PostgreSQL
import Queue
import Relational
import Synchronization
import TestSupport
import Testing

/// Two hosts on one PostgreSQL database: each a store with a pool and a notifier of its own.
struct TwoHosts {
    let test: TestDatabase
    let clock = ManualClock()
    let a: PostgresJobStore
    let b: PostgresJobStore

    init(configuration: QueueConfiguration = .init(leaseDuration: .seconds(30), defaultMaxAttempts: 3)) throws {
        test = try TestDatabase(migrations: QueueFixture.migrations, backend: .postgres)
        let connectionString = try #require(test.connectionString)
        a = PostgresJobStore(database: try PostgresDatabase(connectionString, maximumConnections: 4), configuration: configuration, clock: clock)
        b = PostgresJobStore(database: try PostgresDatabase(connectionString, maximumConnections: 4), configuration: configuration, clock: clock)
    }

    /// Runs host b's wake-up listener until `body` returns, once it listens.
    func withListenerOnB(_ body: () async throws -> Void) async throws {
        let listener = PostgresJobListener(connectionString: try #require(test.connectionString), notifier: b.notifier)
        let shutdown = ShutdownSignal()
        let running = Task { try await listener.run(until: shutdown) }
        defer { shutdown.trigger() }
        #expect(await listener.waitUntilListening(timeout: .seconds(30)))
        try await body()
        shutdown.trigger()
        try await running.value
    }
}

@Suite(.enabled(if: PostgresServer.isAvailable, PostgresServer.missing))
struct PostgresQueueTests {
    @Test func twoHostsClaimingTogetherTakeEveryJobExactlyOnce() async throws {
        let hosts = try TwoHosts()
        let jobs = try (0..<2000).map { try NewJob(kind: "test.job", payload: ["n": $0]) }
        _ = try await hosts.a.enqueue(jobs)
        // Two claimers per host, each acknowledging its last batch with its next claim.
        let claimed = try await withThrowingTaskGroup(of: [Int64].self) { group in
            for (host, worker) in [(hosts.a, "a1"), (hosts.a, "a2"), (hosts.b, "b1"), (hosts.b, "b2")] {
                group.addTask {
                    var mine: [Int64] = []
                    var done: [Acknowledgement] = []
                    while true {
                        let batch = try await host.claim(queue: "default", limit: 25, worker: worker, acknowledging: done)
                        if batch.isEmpty { break }
                        mine += batch.map(\.id)
                        done = batch.map { Acknowledgement(lease: $0.lease, outcome: .completed) }
                    }
                    return mine
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        #expect(claimed.count == 2000)
        #expect(Set(claimed).count == 2000)
        let stats = try await hosts.b.stats()
        #expect(stats.total(.done) == 2000)
        #expect(stats.total(.ready) + stats.total(.running) == 0)
    }

    @Test func anEnqueueOnOneHostWakesTheOtherHostsWorkers() async throws {
        let hosts = try TwoHosts()
        try await hosts.withListenerOnB {
            let mail = Doorbell()
            hosts.b.notifier.subscribe(queue: "mail", bell: mail)
            try await hosts.a.enqueue(NewJob(kind: "email.send", payloadJSON: "{}", queue: "mail"))
            #expect(await mail.wait(timeout: .seconds(30)))
            #expect(try await hosts.b.claim(queue: "mail", limit: 5, worker: "b").count == 1)
        }
    }

    @Test func anEnqueueRolledBackWithItsTransactionLeavesNoJobAndWakesNoHost() async throws {
        struct Abort: Error {}
        let hosts = try TwoHosts()
        try await hosts.withListenerOnB {
            let rolledBack = Doorbell()
            let marker = Doorbell()
            hosts.b.notifier.subscribe(queue: "mail", bell: rolledBack)
            hosts.b.notifier.subscribe(queue: "marker", bell: marker)
            let store = hosts.a
            await #expect(throws: Abort.self) {
                try await store.database.write { db in
                    _ = try store.enqueue([NewJob(kind: "email.send", payloadJSON: "{}", queue: "mail")], in: db)
                    throw Abort()
                }
            }
            // Notifications arrive in commit order: once a later one is in, an earlier one would be too.
            try await store.enqueue(NewJob(kind: "test.marker", payloadJSON: "{}", queue: "marker"))
            #expect(await marker.wait(timeout: .seconds(30)))
            #expect(await rolledBack.wait(timeout: .zero) == false)
            #expect(try await hosts.b.stats().queues["mail"] == nil)
        }
    }

    @Test func twoHostsEnqueuingOneUniqueKeyInSerializableTransactionsGetOneJob() async throws {
        let hosts = try TwoHosts()
        let job = try NewJob(kind: "links.expire", payloadJSON: "{}", uniqueKey: "links.expire:42")
        let results = try await withThrowingTaskGroup(of: EnqueueResult.self) { group in
            for index in 0..<20 {
                let store = index.isMultiple(of: 2) ? hosts.a : hosts.b
                group.addTask { try await store.database.write { db in try store.enqueue([job], in: db)[0] } }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results.filter(\.inserted).count == 1)
        #expect(Set(results.map(\.id)).count == 1)
        #expect(try await hosts.a.stats().total(.ready) == 1)
    }

    @Test func aHostThatStopsHeartbeatingLosesItsJobToTheOther() async throws {
        let hosts = try TwoHosts()
        let job = try await hosts.a.enqueue(NewJob(kind: "pdf.render", payloadJSON: "{}"))
        let first = try #require(try await hosts.a.claim(queue: "default", limit: 1, worker: "host-a").first)
        hosts.clock.advance(by: .seconds(20))
        #expect(try await hosts.a.heartbeat([first.lease], worker: "host-a").isEmpty)
        #expect(try await hosts.b.claim(queue: "default", limit: 1, worker: "host-b").isEmpty)

        // Host A goes silent: 31 s after its last heartbeat its lease is over.
        hosts.clock.advance(by: .seconds(31))
        let second = try #require(try await hosts.b.claim(queue: "default", limit: 1, worker: "host-b").first)
        #expect(second.id == job.id)
        #expect(second.attempt == 2)
        #expect(try await hosts.a.heartbeat([first.lease], worker: "host-a") == [first.lease])
        try await hosts.a.acknowledge([.init(lease: first.lease, outcome: .dead(error: "late"))])
        let record = try #require(try await hosts.b.job(id: job.id))
        #expect(record.state == .running)
        #expect(record.leaseOwner == "host-b")
        #expect(record.lastError == "lease expired: worker host-a stopped without finishing attempt 1")
    }
}
