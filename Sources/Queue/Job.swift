import Foundation

/// Where a job is in its life.
///
/// `scheduled` jobs (delayed, or waiting for a retry) live apart from `ready` ones so that a claim
/// never scans past jobs that are not yet due.
public enum JobState: String, Sendable, CaseIterable, Codable {
    /// Waiting for `runAt` (delayed, or backing off before a retry).
    case scheduled
    /// Due; the next claim may take it.
    case ready
    /// Claimed by a worker that holds a lease.
    case running
    /// Finished successfully.
    case done
    /// Failed permanently or ran out of attempts; kept with its last error.
    case dead
    /// Cancelled by an operator or the application.
    case cancelled

    /// States that still hold a unique key: at most one such job per key.
    public static let active: [JobState] = [.scheduled, .ready, .running]
    /// States that end a job; pruned after the retention period.
    public static let finished: [JobState] = [.done, .dead, .cancelled]
}

/// A job claimed by a worker: what a handler needs to do the work.
public struct ClaimedJob: Sendable, Hashable {
    /// The job's id.
    public let id: Int64
    /// What to do (`pdf.render`, `email.send`); selects the handler.
    public let kind: String
    /// The queue it came from.
    public let queue: String
    /// The JSON payload as enqueued.
    public let payload: String
    /// Which attempt this is, from 1.
    public let attempt: Int
    /// How many attempts it may have in all.
    public let maxAttempts: Int
    /// Lower runs first.
    public let priority: Int
    /// When it was enqueued.
    public let enqueuedAt: Date
    /// When it became due.
    public let runAt: Date

    public init(id: Int64, kind: String, queue: String, payload: String, attempt: Int, maxAttempts: Int,
                priority: Int, enqueuedAt: Date, runAt: Date) {
        self.id = id
        self.kind = kind
        self.queue = queue
        self.payload = payload
        self.attempt = attempt
        self.maxAttempts = maxAttempts
        self.priority = priority
        self.enqueuedAt = enqueuedAt
        self.runAt = runAt
    }

    /// The lease this claim holds: the job id with the attempt number, so that a late answer from
    /// a worker whose lease expired cannot overwrite a newer attempt.
    public var lease: JobLease { JobLease(id: id, attempt: attempt) }
}

/// Identifies one claim of one job.
public struct JobLease: Sendable, Hashable {
    public let id: Int64
    public let attempt: Int

    public init(id: Int64, attempt: Int) {
        self.id = id
        self.attempt = attempt
    }
}

/// What became of one attempt, reported back to the store.
public enum JobOutcome: Sendable, Hashable {
    /// The work is done.
    case completed
    /// The attempt failed and runs again at `at` (see `RetryPolicy`).
    case retry(error: String, at: Date)
    /// Failed for good: out of attempts, or it can never succeed (a malformed payload, an
    /// unknown kind). Kept with its error.
    case dead(error: String)
    /// Not now: run again at `until` without counting this attempt.
    case snoozed(until: Date)
    /// Shutdown gave the job back before it finished: ready again, attempt not counted.
    case released
}

/// One outcome for one claim.
public struct Acknowledgement: Sendable, Hashable {
    public let lease: JobLease
    public let outcome: JobOutcome

    public init(lease: JobLease, outcome: JobOutcome) {
        self.lease = lease
        self.outcome = outcome
    }
}

/// Everything stored about a job, for inspection (`billport jobs show`, `GET /api/jobs/{id}`).
public struct JobRecord: Sendable, Hashable, Codable {
    public let id: Int64
    public let kind: String
    public let queue: String
    public let state: JobState
    public let payload: String
    public let priority: Int
    public let attempts: Int
    public let maxAttempts: Int
    public let uniqueKey: String?
    public let runAt: Date
    public let createdAt: Date
    public let startedAt: Date?
    public let finishedAt: Date?
    public let leaseOwner: String?
    public let leaseExpiresAt: Date?
    public let lastError: String?
}

/// The result of one enqueue: the job's id, and whether it is new or an existing active job
/// with the same unique key.
public struct EnqueueResult: Sendable, Hashable {
    public let id: Int64
    public let inserted: Bool

    public init(id: Int64, inserted: Bool) {
        self.id = id
        self.inserted = inserted
    }
}

/// Counts per queue and state, and how long the oldest ready job of each queue has waited.
public struct QueueStats: Sendable, Hashable {
    /// One queue's figures.
    public struct Queue: Sendable, Hashable {
        public var counts: [JobState: Int]
        /// Time since the oldest ready job became due; nil when none is ready.
        public var oldestReadyAge: Duration?

        public init(counts: [JobState: Int] = [:], oldestReadyAge: Duration? = nil) {
            self.counts = counts
            self.oldestReadyAge = oldestReadyAge
        }
    }

    /// By queue name.
    public var queues: [String: Queue]

    public init(queues: [String: Queue]) {
        self.queues = queues
    }

    /// The count of `state` summed over all queues.
    public func total(_ state: JobState) -> Int {
        queues.values.reduce(0) { $0 + ($1.counts[state] ?? 0) }
    }
}
