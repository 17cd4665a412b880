import BillportCore
import Foundation

/// How the durable queue behaves.
public struct QueueConfiguration: Sendable, Equatable {
    /// How long a claim is held without a heartbeat; a crashed worker's jobs run again after it.
    public var leaseDuration: Duration
    /// Attempts a job gets when its enqueue does not say.
    public var defaultMaxAttempts: Int
    /// Backoff between attempts.
    public var retry: RetryPolicy
    /// How long done and cancelled jobs are kept.
    public var doneRetention: Duration
    /// How long dead jobs are kept, for an operator to inspect and retry.
    public var deadRetention: Duration
    /// Attempts in a row whose worker vanished (lease expired unacknowledged) after which a job is
    /// `dead` instead of being handed to the next worker: a job that crashes its process must not
    /// take every worker down, attempt after attempt.
    public var maxLeaseLosses: Int

    /// Defaults: 60 s lease, 20 attempts, 7 days for done jobs, 30 days for dead ones, dead after 3
    /// vanished workers in a row.
    public init(leaseDuration: Duration = .seconds(60), defaultMaxAttempts: Int = 20, retry: RetryPolicy = .init(),
                doneRetention: Duration = .seconds(7 * 86_400), deadRetention: Duration = .seconds(30 * 86_400),
                maxLeaseLosses: Int = 3) {
        self.leaseDuration = leaseDuration
        self.defaultMaxAttempts = defaultMaxAttempts
        self.retry = retry
        self.doneRetention = doneRetention
        self.deadRetention = deadRetention
        self.maxLeaseLosses = max(1, maxLeaseLosses)
    }
}
