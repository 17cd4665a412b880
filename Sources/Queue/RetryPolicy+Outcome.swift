import BillportCore
import Foundation

extension RetryPolicy {
    /// What a failure of `job` at `now` leads to: a retry after the backoff while attempts
    /// remain, else dead with the error kept.
    public func outcome(forFailureOf job: ClaimedJob, error: String, now: Date, unit: Double) -> JobOutcome {
        guard job.attempt < job.maxAttempts else {
            return .dead(error: "\(error) (attempt \(job.attempt) of \(job.maxAttempts); no attempts left)")
        }
        return .retry(error: error, at: now.addingTimeInterval(delay(afterAttempt: job.attempt, unit: unit).timeInterval))
    }
}
