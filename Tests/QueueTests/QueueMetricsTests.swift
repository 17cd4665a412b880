import BillportCore
import Foundation
import Queue
import Testing

/// The queue gauges a metrics scrape sets, and the lease-rescue counter.
@Suite struct QueueMetricsTests {
    @Test func theGaugesCountEachStateAndAgeTheOldestReadyJob() async throws {
        let f = try QueueFixture()
        // Queue names of this test only: the registry is the process's.
        let queue = "metrics-gauges"
        try await f.enqueue(queue: queue)
        f.clock.advance(by: .seconds(90))
        try await f.enqueue(queue: queue)
        try await f.enqueue(queue: queue, runAt: f.clock.now().addingTimeInterval(3600))
        let dying = try await f.enqueue(queue: "metrics-other", maxAttempts: 1)
        let claimed = try await f.store.claim(queue: "metrics-other", limit: 1, worker: "w")
        #expect(claimed.first?.id == dying.id)
        try await f.store.collectMetrics(queues: [queue, "metrics-other"])

        #expect(BillportMetrics.queueJobs.labels(queue, "ready").value == 2)
        #expect(BillportMetrics.queueJobs.labels(queue, "scheduled").value == 1)
        #expect(BillportMetrics.queueJobs.labels(queue, "running").value == 0)
        #expect(BillportMetrics.queueJobs.labels("metrics-other", "running").value == 1)
        #expect(BillportMetrics.oldestReadyAge.labels(queue).value == 90)
        #expect(BillportMetrics.oldestReadyAge.labels("metrics-other").value == 0)

        // The worker vanishes: its lease runs out, the last attempt is spent, the job is dead.
        let rescuesBefore = BillportMetrics.leaseRescues.count
        f.clock.advance(by: .seconds(31))
        _ = try await f.store.claim(queue: "metrics-other", limit: 1, worker: "w2")
        #expect(BillportMetrics.leaseRescues.count >= rescuesBefore + 1)
        try await f.store.collectMetrics(queues: ["metrics-other"])
        #expect(BillportMetrics.queueJobs.labels("metrics-other", "dead").value == 1)
        #expect(BillportMetrics.queueJobs.labels("metrics-other", "running").value == 0)
    }
}
