import Foundation
import Queue
import Synchronization

/// The jobs this worker runs right now, and the outcomes waiting to be written.
///
/// The first outcome for a lease wins: a job that timed out, lost its lease or was given back at
/// shutdown is removed here, so whatever its task reports later is dropped.
final class InFlightJobs: Sendable {
    private struct Entry {
        let queue: String
        var task: Task<Void, Never>?
    }
    private struct State {
        var running: [JobLease: Entry] = [:]
        var finished: [String: [Acknowledgement]] = [:]
    }
    private let state = Mutex(State())

    /// Registers a claimed job before its task starts, so that an instant finish is not lost.
    func add(_ job: ClaimedJob) {
        state.withLock { $0.running[job.lease] = Entry(queue: job.queue, task: nil) }
    }

    /// Attaches the task running `lease`, to cancel it later; cancels it at once if the job
    /// already ended (timed out before the task was attached).
    func attach(_ task: Task<Void, Never>, to lease: JobLease) {
        let attached = state.withLock { state -> Bool in
            guard state.running[lease] != nil else { return false }
            state.running[lease]?.task = task
            return true
        }
        if !attached { task.cancel() }
    }

    /// Records the outcome of `lease` if it is still running here; returns whether it was.
    @discardableResult
    func finish(_ lease: JobLease, _ outcome: JobOutcome) -> Bool {
        state.withLock { state in
            guard let entry = state.running.removeValue(forKey: lease) else { return false }
            state.finished[entry.queue, default: []].append(Acknowledgement(lease: lease, outcome: outcome))
            return true
        }
    }

    /// Ends `lease` with `outcome` and cancels its task (a timeout); returns whether it was running.
    func interrupt(_ lease: JobLease, _ outcome: JobOutcome) -> Bool {
        let entry = state.withLock { state -> Entry? in
            guard let entry = state.running.removeValue(forKey: lease) else { return nil }
            state.finished[entry.queue, default: []].append(Acknowledgement(lease: lease, outcome: outcome))
            return entry
        }
        entry?.task?.cancel()
        return entry != nil
    }

    /// Takes the outcomes waiting to be written for `queue`.
    func takeFinished(queue: String) -> [Acknowledgement] {
        state.withLock { $0.finished.removeValue(forKey: queue) ?? [] }
    }

    /// Puts back outcomes whose write failed, to try again with the next one.
    func restoreFinished(_ acknowledgements: [Acknowledgement], queue: String) {
        state.withLock { $0.finished[queue, default: []].insert(contentsOf: acknowledgements, at: 0) }
    }

    /// How many jobs of `queue` run now.
    func runningCount(queue: String) -> Int {
        state.withLock { $0.running.values.count { $0.queue == queue } }
    }

    /// Leases of every running job, for the heartbeat.
    var leases: [JobLease] { state.withLock { Array($0.running.keys) } }

    /// Forgets jobs whose lease is gone (cancelled, or taken over) and cancels their tasks;
    /// no outcome is written for them.
    func abandon(_ leases: Set<JobLease>) {
        let tasks = state.withLock { state in leases.compactMap { state.running.removeValue(forKey: $0)?.task } }
        tasks.forEach { $0.cancel() }
    }

    /// Gives back every job of `queue` still running (shutdown deadline): each gets the outcome
    /// `released` and its task is cancelled.
    func releaseAll(queue: String) -> Int {
        let tasks = state.withLock { state -> [Task<Void, Never>?] in
            let leases = state.running.filter { $0.value.queue == queue }.map(\.key)
            return leases.map { lease in
                let entry = state.running.removeValue(forKey: lease)
                state.finished[queue, default: []].append(Acknowledgement(lease: lease, outcome: .released))
                return entry?.task
            }
        }
        tasks.forEach { $0?.cancel() }
        return tasks.count
    }
}
