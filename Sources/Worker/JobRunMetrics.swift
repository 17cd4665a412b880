import BillportCore
import Queue

/// Counts the runs this process finishes, by kind and outcome, and times them by kind. A kind
/// no handler knows (a job enqueued by hand) counts as `unknown`, so job rows never become
/// label values.
struct JobRunMetrics: Sendable {
    let knownKinds: Set<String>

    func record(kind: String, outcome: JobOutcome, elapsed: Duration) {
        let kind = knownKinds.contains(kind) ? kind : "unknown"
        let name: String
        switch outcome {
        case .completed: name = "completed"
        case .retry:
            name = "retry"
            BillportMetrics.jobRetries.labels(kind).increment()
        case .dead:
            name = "dead"
            BillportMetrics.jobsDead.labels(kind).increment()
        case .snoozed: name = "snoozed"
        case .released: name = "released"
        }
        BillportMetrics.jobRuns.labels(kind, name).increment()
        BillportMetrics.jobRunTime.labels(kind).observe(elapsed)
    }
}
