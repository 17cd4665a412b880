import BillportCore
import Foundation
import Queue
import Relational
import SQLite
import TestSupport
import Testing

/// A job whose worker vanishes attempt after attempt stops being handed out.
@Suite struct PoisonJobTests {
    /// Claims the job as `worker` and lets its lease run out without an acknowledgement.
    func loseLease(_ f: QueueFixture, worker: String) async throws -> [ClaimedJob] {
        let claimed = try await f.store.claim(queue: "default", limit: 1, worker: worker)
        f.clock.advance(by: .seconds(31))
        return claimed
    }

    @Test func aJobWhoseWorkerDiesThreeTimesInARowIsDeadAndNotClaimedAgain() async throws {
        let f = try QueueFixture(configuration: .init(leaseDuration: .seconds(30), defaultMaxAttempts: 20))
        let job = try await f.enqueue()
        for worker in ["w1", "w2", "w3"] {
            #expect(try await loseLease(f, worker: worker).map(\.id) == [job.id])
        }
        #expect(try await f.store.claim(queue: "default", limit: 1, worker: "w4").isEmpty)
        let record = try #require(try await f.store.job(id: job.id))
        #expect(record.state == .dead)
        #expect(record.attempts == 3)
        #expect(record.lastError == "worker died while running this job 3 times")
        #expect(record.finishedAt == f.clock.now())
    }

    @Test func anAcknowledgedAttemptEndsTheRunOfVanishedWorkers() async throws {
        let f = try QueueFixture(configuration: .init(leaseDuration: .seconds(30), defaultMaxAttempts: 20))
        let job = try await f.enqueue()
        _ = try await loseLease(f, worker: "w1")
        _ = try await loseLease(f, worker: "w2")
        let survived = try await f.store.claim(queue: "default", limit: 1, worker: "w3")
        try await f.store.acknowledge([.init(lease: survived[0].lease, outcome: .retry(error: "boom", at: f.clock.now()))])
        _ = try await loseLease(f, worker: "w4")
        _ = try await loseLease(f, worker: "w5")
        #expect(try await f.store.claim(queue: "default", limit: 1, worker: "w6").map(\.id) == [job.id])
        #expect(try await f.state(job.id) == .running)
    }

    @Test func anOperatorRetryGivesAPoisonJobAFreshRun() async throws {
        let f = try QueueFixture(configuration: .init(leaseDuration: .seconds(30), defaultMaxAttempts: 20))
        let job = try await f.enqueue()
        for worker in ["w1", "w2", "w3"] { _ = try await loseLease(f, worker: worker) }
        #expect(try await f.store.claim(queue: "default", limit: 1, worker: "w4").isEmpty)
        #expect(try await f.store.retry(id: job.id)?.state == .ready)
        // Two more losses are not yet three in a row: the count started again.
        _ = try await loseLease(f, worker: "w5")
        _ = try await loseLease(f, worker: "w6")
        #expect(try await f.store.claim(queue: "default", limit: 1, worker: "w7").map(\.id) == [job.id])
    }
}
