import BillportCore
import Foundation
import Queue

extension JobHandlers {
    /// Handlers every Billport worker has, whatever else it runs:
    /// - `jobs.prune`: deletes finished jobs past the queue's retention periods;
    /// - `diag.noop`: does nothing (benchmarks, checking that workers are alive);
    /// - `diag.sleep` `{"ms": n}`: waits n ms, honouring cancellation (checking timeouts, drains
    ///   and crash recovery against a real deployment).
    public mutating func registerBuiltins(store: any JobStore, configuration: QueueConfiguration) {
        register("jobs.prune") { context in
            let now = context.clock.now()
            let deleted = try await store.prune(doneBefore: now.addingTimeInterval(-configuration.doneRetention.timeInterval),
                                                deadBefore: now.addingTimeInterval(-configuration.deadRetention.timeInterval))
            context.logger.info("pruned finished jobs", ["deleted": "\(deleted)"])
        }
        register("diag.noop") { _ in }
        register("diag.sleep") { context in
            struct Payload: Decodable { let ms: Int }
            let payload = try context.payload(as: Payload.self)
            guard (0...3_600_000).contains(payload.ms) else {
                throw JobError.discard("payload is not valid for diag.sleep: 'ms' must be 0 to 3600000 (got \(payload.ms))")
            }
            try await Task.sleep(for: .milliseconds(payload.ms))
        }
    }
}
