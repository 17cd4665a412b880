import BillportCore
import Foundation
import Relational

/// The durable queue's operations, apart from the SQL that implements them, so that another
/// store (PostgreSQL with `FOR UPDATE SKIP LOCKED`) can stand beside the SQLite one.
public protocol JobStore: Sendable {
    /// Notified after every commit that made jobs ready in this process; workers listen to it.
    var notifier: JobNotifier { get }

    /// Enqueues `jobs` in one transaction; one result per job, in order.
    func enqueue(_ jobs: [NewJob]) async throws -> [EnqueueResult]

    /// In one transaction, records `acknowledgements`, then atomically claims up to `limit`
    /// ready jobs of `queue` for `worker` with a lease. Before claiming, promotes due scheduled
    /// jobs and takes back jobs whose lease expired. Acking and claiming together halves a
    /// worker's commits.
    func claim(queue: String, limit: Int, worker: String, acknowledging acknowledgements: [Acknowledgement]) async throws -> [ClaimedJob]

    /// Records outcomes, all in one transaction. An outcome for a lease that is no longer held
    /// (the job was cancelled, or its lease expired and another worker took it) is ignored.
    func acknowledge(_ acknowledgements: [Acknowledgement]) async throws

    /// Extends the leases of running jobs; returns the leases no longer held, whose work should stop.
    func heartbeat(_ leases: [JobLease], worker: String) async throws -> Set<JobLease>

    /// The job with `id`, if it exists.
    func job(id: Int64) async throws -> JobRecord?

    /// Jobs matching the filter, newest first, at most `limit`, ids below `beforeID` when given.
    func jobs(state: JobState?, queue: String?, kind: String?, limit: Int, beforeID: Int64?) async throws -> [JobRecord]

    /// Cancels a scheduled, ready or running job; returns the job as it now is, nil if unknown.
    /// A running job's worker learns of it at its next heartbeat.
    func cancel(id: Int64) async throws -> JobRecord?

    /// Makes a dead, cancelled or scheduled job ready now, granting one more attempt if it had
    /// none left; returns the job as it now is, nil if unknown.
    func retry(id: Int64) async throws -> JobRecord?

    /// Deletes finished jobs older than the retention periods; returns how many.
    func prune(doneBefore: Date, deadBefore: Date) async throws -> Int

    /// Counts per queue and state.
    func stats() async throws -> QueueStats
}

/// A job store on an `SQLDatabase` whose enqueue can join a caller's write transaction on that
/// same database, so that business rows and the jobs they cause commit together or not at all.
public protocol TransactionalJobStore: JobStore {
    /// Enqueues `jobs` inside the caller's transaction `db`; this process's workers (and, on
    /// PostgreSQL, every host's) wake at commit.
    func enqueue(_ jobs: [NewJob], in db: any SQLConnection) throws -> [EnqueueResult]
}

extension JobStore {
    /// Claims without acknowledging anything.
    public func claim(queue: String, limit: Int, worker: String) async throws -> [ClaimedJob] {
        try await claim(queue: queue, limit: limit, worker: worker, acknowledging: [])
    }

    /// Enqueues one job.
    @discardableResult
    public func enqueue(_ job: NewJob) async throws -> EnqueueResult {
        try await enqueue([job])[0]
    }
}

/// An operator's request the job's state does not allow (retrying a running job).
public struct JobStateConflict: Error, Sendable, CustomStringConvertible {
    public let id: Int64
    public let state: JobState
    public let action: String

    public init(id: Int64, state: JobState, action: String) {
        self.id = id
        self.state = state
        self.action = action
    }

    public var description: String { "job \(id) is \(state.rawValue) and cannot be \(action)" }
}
