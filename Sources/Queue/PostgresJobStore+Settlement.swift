import BillportCore
import Foundation
import Relational

extension PostgresJobStore {
    /// What a claim does before it claims, in one statement: record the acknowledgements (each
    /// only while its lease is still held), promote due scheduled jobs, and take back jobs whose
    /// worker stopped renewing its lease (ready again, or dead after their last attempt or the
    /// `maxLeaseLosses`th vanished worker in a row). A lease being acknowledged is never also
    /// rescued: one statement must not change a row twice.
    struct Settlement: Sendable {
        let outcomesJSON: String
        let hasOutcomes: Bool
        let now: Date
        let maxLeaseLosses: Int
        /// Whether to promote and rescue (a claim) or only acknowledge.
        let maintain: Bool
        /// The queue the claim that follows takes from: it needs no wake-up.
        let claimingQueue: String?

        init(acknowledgements: [Acknowledgement], now: Date, maxLeaseLosses: Int, maintain: Bool, claimingQueue: String?) {
            // One outcome per lease: a second for the same lease would make the statement change a row twice.
            var seen: Set<JobLease> = []
            let unique = acknowledgements.filter { seen.insert($0.lease).inserted }
            outcomesJSON = LeaseList.encode(unique.map(Outcome.init))
            hasOutcomes = !unique.isEmpty
            self.now = now
            self.maxLeaseLosses = maxLeaseLosses
            self.maintain = maintain
            self.claimingQueue = claimingQueue
        }

        /// Runs the statement; wakes the queues it made ready (released, rescued, promoted into
        /// another queue than the claim's) here and, through NOTIFY, on every host.
        func apply(_ db: any SQLConnection, notifier: JobNotifier) throws {
            guard hasOutcomes || maintain else { return }
            let changed = try db.query(Self.sql, outcomesJSON, now, maxLeaseLosses, maintain ? 1 : 0) { row in
                (what: row.string(0), queue: row.string(1))
            }
            let rescued = changed.filter { $0.what == "rescued" }.count
            if rescued > 0 { BillportMetrics.leaseRescues.increment(by: UInt64(rescued)) }
            let woken = Set(changed.filter { $0.what != "done" }.map(\.queue)).subtracting(claimingQueue.map { [$0] } ?? [])
            if !woken.isEmpty { try PostgresJobStore.wake(woken, notifier: notifier, db) }
        }

        /// `?1` outcomes (JSON), `?2` now, `?3` max lease losses, `?4` 1 to promote and rescue.
        /// Answers one row per changed job: what became of it, and its queue.
        static let sql = """
            WITH outcome AS (
                SELECT * FROM jsonb_to_recordset(CAST(?1 AS jsonb))
                    AS outcome(id BIGINT, attempt BIGINT, kind TEXT, at BIGINT, error TEXT)
            ), acknowledged AS (
                UPDATE jobs SET
                    state = CASE outcome.kind WHEN 'completed' THEN 'done' WHEN 'dead' THEN 'dead'
                        WHEN 'released' THEN 'ready' ELSE 'scheduled' END,
                    finished_at = CASE WHEN outcome.kind IN ('completed', 'dead') THEN ?2 ELSE jobs.finished_at END,
                    run_at = CASE WHEN outcome.kind IN ('retry', 'snoozed') THEN outcome.at ELSE jobs.run_at END,
                    last_error = CASE WHEN outcome.kind IN ('retry', 'dead') THEN outcome.error ELSE jobs.last_error END,
                    attempts = CASE WHEN outcome.kind IN ('snoozed', 'released') THEN jobs.attempts - 1 ELSE jobs.attempts END,
                    lease_owner = NULL, lease_expires_at = NULL, lease_losses = 0
                FROM outcome
                WHERE jobs.id = outcome.id AND jobs.attempts = outcome.attempt AND jobs.state = 'running'
                RETURNING jobs.queue, outcome.kind
            ), promoted AS (
                UPDATE jobs SET state = 'ready'
                WHERE id IN (
                    SELECT id FROM jobs WHERE ?4 = 1 AND state = 'scheduled' AND run_at <= ?2
                    ORDER BY run_at LIMIT 1000 FOR UPDATE SKIP LOCKED
                )
                RETURNING queue
            ), rescued AS (
                UPDATE jobs
                SET \(LeaseRescue.assignments(now: "?2", maxLeaseLosses: "?3"))
                WHERE id IN (
                    SELECT id FROM jobs WHERE ?4 = 1 AND state = 'running' AND lease_expires_at < ?2
                        AND id NOT IN (SELECT id FROM outcome)
                    LIMIT 1000 FOR UPDATE SKIP LOCKED
                )
                RETURNING queue, state
            )
            SELECT CASE kind WHEN 'released' THEN 'released' ELSE 'done' END, queue FROM acknowledged
            UNION ALL SELECT 'promoted', queue FROM promoted
            UNION ALL SELECT CASE state WHEN 'ready' THEN 'rescued' ELSE 'done' END, queue FROM rescued
            """
    }

    /// One acknowledgement as `jsonb_to_recordset` reads it. NUL cannot be stored in PostgreSQL
    /// text, so an error message loses its NUL characters.
    struct Outcome: Encodable {
        let id: Int64
        let attempt: Int
        let kind: String
        let at: Int64?
        let error: String?

        init(_ acknowledgement: Acknowledgement) {
            id = acknowledgement.lease.id
            attempt = acknowledgement.lease.attempt
            switch acknowledgement.outcome {
            case .completed: (kind, at, error) = ("completed", nil, nil)
            case .retry(let message, let date): (kind, at, error) = ("retry", date.unixMilliseconds, Self.storable(message))
            case .dead(let message): (kind, at, error) = ("dead", nil, Self.storable(message))
            case .snoozed(let until): (kind, at, error) = ("snoozed", until.unixMilliseconds, nil)
            case .released: (kind, at, error) = ("released", nil, nil)
            }
        }

        private static func storable(_ message: String) -> String { message.replacingOccurrences(of: "\u{0}", with: "") }
    }
}
