import BillportCore
import Foundation
import Queue
import Relational
import SQLite
import TestSupport
import Testing

@Suite struct JobStoreTests {
    @Test func enqueuedJobIsClaimedOnceWithALeaseAndCompleted() async throws {
        let f = try QueueFixture()
        let result = try await f.enqueue("pdf.render", payload: #"{"invoice":7}"#)
        #expect(result.inserted)
        let claimed = try await f.store.claim(queue: "default", limit: 10, worker: "w1")
        #expect(claimed.map(\.id) == [result.id])
        #expect(claimed[0].payload == #"{"invoice":7}"#)
        #expect(claimed[0].attempt == 1)
        let running = try #require(try await f.store.job(id: result.id))
        #expect(running.state == .running)
        #expect(running.leaseOwner == "w1")
        #expect(running.leaseExpiresAt == f.clock.now().addingTimeInterval(30))
        #expect(try await f.store.claim(queue: "default", limit: 10, worker: "w2").isEmpty)

        try await f.store.acknowledge([.init(lease: claimed[0].lease, outcome: .completed)])
        let done = try #require(try await f.store.job(id: result.id))
        #expect(done.state == .done)
        #expect(done.finishedAt == f.clock.now())
        #expect(done.leaseOwner == nil)
    }

    @Test func claimsInPriorityThenAgeOrderAndOnlyFromItsQueue() async throws {
        let f = try QueueFixture()
        let low = try await f.enqueue(priority: 5)
        f.clock.advance(by: .seconds(1))
        let urgent = try await f.enqueue(priority: 0)
        let other = try await f.enqueue(queue: "mail")
        f.clock.advance(by: .seconds(1))
        let urgentLater = try await f.enqueue(priority: 0)
        let claimed = try await f.store.claim(queue: "default", limit: 2, worker: "w")
        #expect(claimed.map(\.id) == [urgent.id, urgentLater.id])
        #expect(try await f.store.claim(queue: "default", limit: 5, worker: "w").map(\.id) == [low.id])
        #expect(try await f.store.claim(queue: "mail", limit: 5, worker: "w").map(\.id) == [other.id])
    }

    @Test func delayedJobWaitsInScheduledUntilDue() async throws {
        let f = try QueueFixture()
        let later = try await f.enqueue(runAt: f.clock.now().addingTimeInterval(60))
        #expect(try await f.state(later.id) == .scheduled)
        #expect(try await f.store.claim(queue: "default", limit: 1, worker: "w").isEmpty)
        f.clock.advance(by: .seconds(60))
        #expect(try await f.store.claim(queue: "default", limit: 1, worker: "w").map(\.id) == [later.id])
    }

    @Test func failureRetriesWithBackoffThenDiesKeepingTheLastError() async throws {
        let f = try QueueFixture()
        let policy = RetryPolicy(base: .seconds(2), maximum: .seconds(3600), jitter: 0)
        let job = try await f.enqueue(maxAttempts: 3)
        var waits: [TimeInterval] = []
        for attempt in 1...3 {
            let claimed = try #require(try await f.store.claim(queue: "default", limit: 1, worker: "w").first)
            #expect(claimed.attempt == attempt)
            let outcome = policy.outcome(forFailureOf: claimed, error: "smtp said 451 (try \(attempt))", now: f.clock.now(), unit: 0.5)
            try await f.store.acknowledge([.init(lease: claimed.lease, outcome: outcome)])
            guard let record = try await f.store.job(id: job.id), record.state == .scheduled else { break }
            waits.append(record.runAt.timeIntervalSince(f.clock.now()))
            #expect(try await f.store.claim(queue: "default", limit: 1, worker: "w").isEmpty) // not before the backoff
            f.clock.set(record.runAt)
        }
        #expect(waits == [2, 4])
        let dead = try #require(try await f.store.job(id: job.id))
        #expect(dead.state == .dead)
        #expect(dead.attempts == 3)
        #expect(dead.lastError == "smtp said 451 (try 3) (attempt 3 of 3; no attempts left)")
    }

    @Test func uniqueKeyAllowsOneActiveJobAndFreesWhenItFinishes() async throws {
        let f = try QueueFixture()
        let first = try await f.enqueue(uniqueKey: "reminder:42:2026-11-22")
        let second = try await f.enqueue(uniqueKey: "reminder:42:2026-11-22")
        #expect(first.inserted)
        #expect(second == EnqueueResult(id: first.id, inserted: false))
        let claimed = try await f.store.claim(queue: "default", limit: 1, worker: "w")
        #expect(try await f.enqueue(uniqueKey: "reminder:42:2026-11-22") == EnqueueResult(id: first.id, inserted: false))
        try await f.store.acknowledge([.init(lease: claimed[0].lease, outcome: .completed)])
        let third = try await f.enqueue(uniqueKey: "reminder:42:2026-11-22")
        #expect(third.inserted)
        #expect(third.id != first.id)
    }

    @Test func cancelStopsPendingJobsAndLeavesFinishedOnesAlone() async throws {
        let f = try QueueFixture()
        let job = try await f.enqueue()
        #expect(try await f.store.cancel(id: job.id)?.state == .cancelled)
        #expect(try await f.store.claim(queue: "default", limit: 1, worker: "w").isEmpty)
        let error = try await #require(throws: JobStateConflict.self) { try await f.store.cancel(id: job.id) }
        #expect(error.description == "job \(job.id) is cancelled and cannot be cancelled")
        #expect(try await f.store.cancel(id: 999) == nil)
    }

    @Test func cancellingARunningJobIsSeenAtHeartbeatAndItsLateAckIsIgnored() async throws {
        let f = try QueueFixture()
        let job = try await f.enqueue()
        let claimed = try await f.store.claim(queue: "default", limit: 1, worker: "w")
        _ = try await f.store.cancel(id: job.id)
        let lost = try await f.store.heartbeat(claimed.map(\.lease), worker: "w")
        #expect(lost == [claimed[0].lease])
        try await f.store.acknowledge([.init(lease: claimed[0].lease, outcome: .completed)])
        #expect(try await f.state(job.id) == .cancelled)
    }

    @Test func expiredLeaseIsClaimedAgainAndTheOldWorkersAckIgnored() async throws {
        let f = try QueueFixture()
        let job = try await f.enqueue()
        let first = try await f.store.claim(queue: "default", limit: 1, worker: "crashed")
        f.clock.advance(by: .seconds(29))
        #expect(try await f.store.claim(queue: "default", limit: 1, worker: "w2").isEmpty)
        f.clock.advance(by: .seconds(2))
        let second = try await f.store.claim(queue: "default", limit: 1, worker: "w2")
        #expect(second.map(\.id) == [job.id])
        #expect(second[0].attempt == 2)
        // The first worker wakes up late and reports: ignored, the lease is no longer its.
        try await f.store.acknowledge([.init(lease: first[0].lease, outcome: .dead(error: "late"))])
        #expect(try await f.state(job.id) == .running)
        try await f.store.acknowledge([.init(lease: second[0].lease, outcome: .completed)])
        #expect(try await f.state(job.id) == .done)
    }

    @Test func heartbeatKeepsALongJobsLease() async throws {
        let f = try QueueFixture()
        let job = try await f.enqueue()
        let claimed = try await f.store.claim(queue: "default", limit: 1, worker: "w")
        for _ in 0..<5 {
            f.clock.advance(by: .seconds(20))
            #expect(try await f.store.heartbeat(claimed.map(\.lease), worker: "w").isEmpty)
            #expect(try await f.store.claim(queue: "default", limit: 1, worker: "thief").isEmpty)
        }
        #expect(try await f.state(job.id) == .running)
    }

    @Test func expiredLeaseOnTheLastAttemptMakesTheJobDead() async throws {
        let f = try QueueFixture()
        let job = try await f.enqueue(maxAttempts: 1)
        _ = try await f.store.claim(queue: "default", limit: 1, worker: "crashed")
        f.clock.advance(by: .seconds(31))
        #expect(try await f.store.claim(queue: "default", limit: 1, worker: "w").isEmpty)
        let record = try #require(try await f.store.job(id: job.id))
        #expect(record.state == .dead)
        #expect(record.lastError == "lease expired: worker crashed stopped without finishing attempt 1")
    }

    @Test func releasedAndSnoozedJobsDoNotSpendAnAttempt() async throws {
        let f = try QueueFixture()
        let a = try await f.enqueue()
        let b = try await f.enqueue()
        let claimed = try await f.store.claim(queue: "default", limit: 2, worker: "w")
        try await f.store.acknowledge([
            .init(lease: claimed[0].lease, outcome: .released),
            .init(lease: claimed[1].lease, outcome: .snoozed(until: f.clock.now().addingTimeInterval(10))),
        ])
        #expect(try await f.store.job(id: a.id)?.attempts == 0)
        #expect(try await f.state(a.id) == .ready)
        #expect(try await f.store.job(id: b.id)?.attempts == 0)
        #expect(try await f.state(b.id) == .scheduled)
    }

    @Test func operatorRetryRevivesADeadJobWithOneMoreAttempt() async throws {
        let f = try QueueFixture()
        let job = try await f.enqueue(maxAttempts: 1)
        let claimed = try await f.store.claim(queue: "default", limit: 1, worker: "w")
        try await f.store.acknowledge([.init(lease: claimed[0].lease, outcome: .dead(error: "boom"))])
        let revived = try #require(try await f.store.retry(id: job.id))
        #expect(revived.state == .ready)
        #expect(revived.maxAttempts == 2)
        #expect(revived.lastError == "boom")
        #expect(try await f.store.claim(queue: "default", limit: 1, worker: "w").first?.attempt == 2)
        await #expect(throws: JobStateConflict.self) { try await f.store.retry(id: job.id) }
    }

    @Test func jobsEnqueuedInsideARolledBackTransactionNeverExist() async throws {
        let f = try QueueFixture()
        struct Abort: Error {}
        let job = try NewJob(kind: "email.send", payload: ["invoice": 1])
        await #expect(throws: Abort.self) {
            try await f.test.database.write { db in
                _ = try f.store.enqueue([job], in: db)
                throw Abort()
            }
        }
        #expect(try await f.store.stats().total(.ready) == 0)
        let ids = try await f.test.database.write { db in try f.store.enqueue([job, job], in: db).map(\.id) }
        #expect(ids.count == 2)
        #expect(try await f.store.stats().total(.ready) == 2)
    }

    @Test func statsCountPerQueueAndStateWithTheOldestReadyAge() async throws {
        let f = try QueueFixture()
        try await f.enqueue()
        f.clock.advance(by: .seconds(90))
        try await f.enqueue()
        try await f.enqueue(queue: "mail", runAt: f.clock.now().addingTimeInterval(5))
        let stats = try await f.store.stats()
        #expect(stats.queues["default"]?.counts == [.ready: 2])
        #expect(stats.queues["default"]?.oldestReadyAge == .seconds(90))
        #expect(stats.queues["mail"]?.counts == [.scheduled: 1])
        #expect(stats.queues["mail"]?.oldestReadyAge == nil)
    }

    @Test func pruneDeletesOnlyFinishedJobsPastRetention() async throws {
        let f = try QueueFixture()
        let old = try await f.enqueue()
        let oldDead = try await f.enqueue(maxAttempts: 1)
        let claimed = try await f.store.claim(queue: "default", limit: 2, worker: "w")
        try await f.store.acknowledge([
            .init(lease: claimed[0].lease, outcome: .completed), .init(lease: claimed[1].lease, outcome: .dead(error: "x")),
        ])
        f.clock.advance(by: .seconds(8 * 86_400))
        let pending = try await f.enqueue()
        let now = f.clock.now()
        let pruned = try await f.store.prune(doneBefore: now.addingTimeInterval(-7 * 86_400), deadBefore: now.addingTimeInterval(-30 * 86_400))
        #expect(pruned == 1)
        #expect(try await f.store.job(id: old.id) == nil)
        #expect(try await f.state(oldDead.id) == .dead)
        #expect(try await f.state(pending.id) == .ready)
    }

    @Test func bulkEnqueueIsOneTransaction() async throws {
        let f = try QueueFixture()
        let jobs = try (0..<500).map { try NewJob(kind: "views.aggregate", payload: ["n": $0]) }
        let results = try await f.store.enqueue(jobs)
        #expect(results.count == 500)
        #expect(Set(results.map(\.id)).count == 500)
        #expect(try await f.store.stats().total(.ready) == 500)
    }

    @Test func listFiltersByStateQueueAndKindNewestFirst() async throws {
        let f = try QueueFixture()
        let a = try await f.enqueue("a.kind")
        let b = try await f.enqueue("b.kind", queue: "mail")
        let c = try await f.enqueue("a.kind")
        #expect(try await f.store.jobs(state: nil, queue: nil, kind: "a.kind", limit: 10, beforeID: nil).map(\.id) == [c.id, a.id])
        #expect(try await f.store.jobs(state: .ready, queue: "mail", kind: nil, limit: 10, beforeID: nil).map(\.id) == [b.id])
        #expect(try await f.store.jobs(state: nil, queue: nil, kind: nil, limit: 1, beforeID: c.id).map(\.id) == [b.id])
    }
}
