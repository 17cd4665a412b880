import BillportCore
import Relational

/// The queue gauges a scrape reads: per queue, how many jobs are ready, scheduled, running and
/// dead, and how long the oldest ready one has waited. One read transaction, one indexed query
/// per queue and state, each reading only that state's part of an index (pending work, and
/// dead jobs kept for `queue.keepDead`), never the history of done jobs; only the queue names
/// the caller knows, so a queue nobody configured is never a label.
extension SQLJobStore {
    /// The states a scrape counts; done and cancelled jobs are history, counted by the runs.
    public static var gaugedStates: [JobState] { [.ready, .scheduled, .running, .dead] }

    /// The statements, for the query-plan test.
    public static var metricsQueries: [String] { [
        "SELECT count(*), min(run_at) FROM jobs WHERE state = 'ready' AND queue = ?",
        "SELECT count(*) FROM jobs WHERE state = 'scheduled' AND queue = ?",
        "SELECT count(*) FROM jobs WHERE state = 'running' AND queue = ?",
        "SELECT count(*) FROM jobs WHERE state IN ('done', 'dead', 'cancelled') AND state = 'dead' AND queue = ?",
    ] }

    /// Sets `billport_queue_jobs` and `billport_queue_oldest_ready_age_seconds` for `queues`.
    public func collectMetrics(queues: Set<String>) async throws {
        let now = clock.now().unixMilliseconds
        let figures = try await sqlDatabase.read { db in
            try queues.sorted().map { queue in
                let ready = try db.queryOne(Self.metricsQueries[0], queue) { row in (row.int(0), row.optionalInt64(1)) } ?? (0, nil)
                var counts = [ready.0]
                for sql in Self.metricsQueries.dropFirst() {
                    counts.append(try db.queryOne(sql, queue) { $0.int(0) } ?? 0)
                }
                return (queue, counts, ready.1.map { max(0, now - $0) } ?? 0)
            }
        }
        for (queue, counts, oldestMilliseconds) in figures {
            for (state, count) in zip(Self.gaugedStates, counts) {
                BillportMetrics.queueJobs.labels(queue, state.rawValue).set(Double(count))
            }
            BillportMetrics.oldestReadyAge.labels(queue).set(Double(oldestMilliseconds) / 1000)
        }
    }
}
