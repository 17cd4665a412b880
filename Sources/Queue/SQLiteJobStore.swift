import BillportCore
import Foundation
import Relational
import SQLite

/// The durable queue on the shared SQLite file.
///
/// Every operation is one short write transaction through the process's single writer
/// connection; claims and acknowledgements take many jobs per transaction, which is what makes
/// thousands of jobs a second affordable even at `synchronous = FULL`.
public final class SQLiteJobStore: SQLJobStore {
    /// The database holding the `jobs` table.
    public let database: Database
    /// Lease, attempts, backoff, retention.
    public let configuration: QueueConfiguration
    /// The source of "now" for every time the store writes.
    public let clock: any WallClock
    public let notifier: JobNotifier
    public var sqlDatabase: any SQLDatabase { database }

    /// A store over `database`, which must have `QueueSchema.migrations` applied.
    public init(database: Database, configuration: QueueConfiguration = .init(), clock: any WallClock = SystemClock(),
                notifier: JobNotifier = JobNotifier()) {
        self.database = database
        self.notifier = notifier
        self.configuration = configuration
        self.clock = clock
    }

    // MARK: Claim

    public func claim(queue: String, limit: Int, worker: String, acknowledging acknowledgements: [Acknowledgement]) async throws -> [ClaimedJob] {
        guard limit > 0 || !acknowledgements.isEmpty else { return [] }
        let now = clock.now()
        let leaseExpiresAt = now.addingTimeInterval(configuration.leaseDuration.timeInterval)
        let notifier = self.notifier
        let maxLeaseLosses = configuration.maxLeaseLosses
        return try await database.write { db in
            try Self.apply(acknowledgements, db, now: now, notifier: notifier)
            guard limit > 0 else { return [] }
            try Self.promoteDueJobs(db, now: now)
            try Self.rescueExpiredLeases(db, now: now, maxLeaseLosses: maxLeaseLosses)
            let claimed = try db.query("""
                UPDATE jobs
                SET state = 'running', attempts = attempts + 1, lease_owner = ?, lease_expires_at = ?, started_at = ?
                WHERE id IN (
                    SELECT id FROM jobs WHERE state = 'ready' AND queue = ?
                    ORDER BY priority, run_at, id LIMIT ?
                )
                RETURNING id, kind, queue, payload, attempts, max_attempts, priority, created_at, run_at
                """, worker, leaseExpiresAt, now, queue, limit) { row in
                ClaimedJob(id: row.int64(0), kind: row.string(1), queue: row.string(2), payload: row.string(3),
                           attempt: row.int(4), maxAttempts: row.int(5), priority: row.int(6),
                           enqueuedAt: row.date(7), runAt: row.date(8))
            }
            // RETURNING gives no order; hand jobs out in claim order.
            return claimed.sorted { ($0.priority, $0.runAt, $0.id) < ($1.priority, $1.runAt, $1.id) }
        }
    }

    /// Moves due scheduled jobs to ready, a bounded batch per claim.
    static func promoteDueJobs(_ db: any SQLConnection, now: Date) throws {
        try db.execute("""
            UPDATE jobs SET state = 'ready'
            WHERE id IN (SELECT id FROM jobs WHERE state = 'scheduled' AND run_at <= ? ORDER BY run_at LIMIT 1000)
            """, now)
    }

    /// Takes back jobs whose worker stopped renewing its lease (it crashed or hung): ready again,
    /// or dead when that was their last attempt or the `maxLeaseLosses`th attempt in a row whose
    /// worker vanished — a job that crashes its process is not handed to the next one for ever.
    static let rescueSQL = """
        UPDATE jobs
        SET \(LeaseRescue.assignments(now: "?1", maxLeaseLosses: "?2"))
        WHERE id IN (SELECT id FROM jobs WHERE state = 'running' AND lease_expires_at < ?1 LIMIT 1000)
        """

    static func rescueExpiredLeases(_ db: any SQLConnection, now: Date, maxLeaseLosses: Int) throws {
        try db.execute(rescueSQL, now, maxLeaseLosses)
        if db.changes > 0 { BillportMetrics.leaseRescues.increment(by: UInt64(db.changes)) }
    }

    // MARK: Acknowledge

    public func acknowledge(_ acknowledgements: [Acknowledgement]) async throws {
        guard !acknowledgements.isEmpty else { return }
        let now = clock.now()
        let notifier = self.notifier
        try await database.write { db in try Self.apply(acknowledgements, db, now: now, notifier: notifier) }
    }

    /// Records each outcome if its lease is still held (same attempt, still running). Any
    /// acknowledged outcome means the worker survived the attempt: the run of vanished workers ends.
    static func apply(_ acknowledgements: [Acknowledgement], _ db: any SQLConnection, now: Date, notifier: JobNotifier) throws {
        var releasedQueues: Set<String> = []
        for ack in acknowledgements {
            let id = ack.lease.id
            let attempt = ack.lease.attempt
            switch ack.outcome {
            case .completed:
                try db.execute("""
                    UPDATE jobs SET state = 'done', finished_at = ?, lease_owner = NULL, lease_expires_at = NULL, lease_losses = 0
                    WHERE id = ? AND attempts = ? AND state = 'running'
                    """, now, id, attempt)
            case .retry(let error, let at):
                try db.execute("""
                    UPDATE jobs SET state = 'scheduled', run_at = ?, last_error = ?, lease_owner = NULL, lease_expires_at = NULL, lease_losses = 0
                    WHERE id = ? AND attempts = ? AND state = 'running'
                    """, at, error, id, attempt)
            case .dead(let error):
                try db.execute("""
                    UPDATE jobs SET state = 'dead', finished_at = ?, last_error = ?, lease_owner = NULL, lease_expires_at = NULL, lease_losses = 0
                    WHERE id = ? AND attempts = ? AND state = 'running'
                    """, now, error, id, attempt)
            case .snoozed(let until):
                try db.execute("""
                    UPDATE jobs SET state = 'scheduled', run_at = ?, attempts = attempts - 1, lease_owner = NULL, lease_expires_at = NULL, lease_losses = 0
                    WHERE id = ? AND attempts = ? AND state = 'running'
                    """, until, id, attempt)
            case .released:
                let queue = try db.queryOne("""
                    UPDATE jobs SET state = 'ready', attempts = attempts - 1, lease_owner = NULL, lease_expires_at = NULL, lease_losses = 0
                    WHERE id = ? AND attempts = ? AND state = 'running'
                    RETURNING queue
                    """, id, attempt) { $0.string(0) }
                if let queue { releasedQueues.insert(queue) }
            }
        }
        if !releasedQueues.isEmpty {
            db.afterCommit { [releasedQueues] in notifier.notify(queues: releasedQueues) }
        }
    }

    public func heartbeat(_ leases: [JobLease], worker: String) async throws -> Set<JobLease> {
        guard !leases.isEmpty else { return [] }
        let expiresAt = clock.now().addingTimeInterval(configuration.leaseDuration.timeInterval)
        return try await database.write { db in
            var lost: Set<JobLease> = []
            for lease in leases {
                try db.execute("""
                    UPDATE jobs SET lease_expires_at = ?
                    WHERE id = ? AND attempts = ? AND state = 'running' AND lease_owner = ?
                    """, expiresAt, lease.id, lease.attempt, worker)
                if db.changes == 0 { lost.insert(lease) }
            }
            return lost
        }
    }
}
