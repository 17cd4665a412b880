import BillportCore
import Foundation
import Relational

/// A job store on an `SQLDatabase`: what SQLite and PostgreSQL share is written once here
/// (enqueue inside a caller's transaction, inspection, operator actions, pruning, the operator
/// page's lists and the scrape's gauges); each backend keeps only its claim, acknowledgement and
/// heartbeat, where locking differs. The operator console and the metrics listener take this.
public protocol SQLJobStore: TransactionalJobStore {
    /// The database holding the `jobs` table (and whose transactions `enqueue(_:in:)` joins).
    var sqlDatabase: any SQLDatabase { get }
    /// Lease, attempts, backoff, retention.
    var configuration: QueueConfiguration { get }
    /// The source of "now" for every time the store writes.
    var clock: any WallClock { get }
}

/// The PostgreSQL channel that carries wake-ups between hosts; the payload is the queue's name.
public enum JobWakeups {
    public static let channel = "billport_jobs"
}

/// An enqueue that lost its unique key to a job that finished before it could be read again.
struct EnqueueRaceLost: Error, CustomStringConvertible {
    let kind: String
    var description: String { "enqueue of \(kind) was ignored but no active job holds its unique key" }
}

extension SQLJobStore {
    public func enqueue(_ jobs: [NewJob]) async throws -> [EnqueueResult] {
        try await sqlDatabase.write { db in try self.enqueue(jobs, in: db) }
    }

    /// Enqueues `jobs` inside the caller's own write transaction, so that business rows and the
    /// jobs they cause commit together or not at all. Workers of this process wake at commit; on
    /// PostgreSQL a `NOTIFY` per queue made ready wakes every other host's listener at commit too
    /// (and, like the jobs, is never sent when the transaction rolls back).
    public func enqueue(_ jobs: [NewJob], in db: any SQLConnection) throws -> [EnqueueResult] {
        let now = clock.now()
        var readyQueues: Set<String> = []
        var results: [EnqueueResult] = []
        results.reserveCapacity(jobs.count)
        for job in jobs {
            let runAt = max(job.runAt ?? now, Date(unixMilliseconds: 0))
            let state: JobState = runAt <= now ? .ready : .scheduled
            let result = try Self.insert(job, state: state, runAt: runAt, now: now,
                                         maxAttempts: job.maxAttempts ?? configuration.defaultMaxAttempts, db)
            if result.inserted, state == .ready { readyQueues.insert(job.queue) }
            results.append(result)
        }
        if !readyQueues.isEmpty {
            try Self.wake(readyQueues, notifier: notifier, db)
        }
        return results
    }

    /// Inserts one job, or finds the active job holding its unique key. Under READ COMMITTED
    /// that job may finish between the two statements; the insert is then tried again.
    private static func insert(_ job: NewJob, state: JobState, runAt: Date, now: Date, maxAttempts: Int,
                               _ db: any SQLConnection) throws -> EnqueueResult {
        for _ in 0..<3 {
            let inserted = try db.queryOne("""
                INSERT INTO jobs (queue, kind, payload, state, priority, run_at, max_attempts, unique_key, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (unique_key) WHERE unique_key IS NOT NULL AND state IN ('scheduled', 'ready', 'running')
                DO NOTHING
                RETURNING id
                """, job.queue, job.kind, job.payload, state.rawValue, job.priority, runAt,
                maxAttempts, job.uniqueKey, now) { $0.int64(0) }
            if let inserted { return EnqueueResult(id: inserted, inserted: true) }
            let existing = try db.queryOne("""
                SELECT id FROM jobs
                WHERE unique_key = ? AND state IN ('scheduled', 'ready', 'running')
                """, job.uniqueKey) { $0.int64(0) }
            if let existing { return EnqueueResult(id: existing, inserted: false) }
        }
        throw EnqueueRaceLost(kind: job.kind)
    }

    /// Rings this process's workers of `queues` at commit, and on PostgreSQL every host's.
    static func wake(_ queues: Set<String>, notifier: JobNotifier, _ db: any SQLConnection) throws {
        if db.dialect == .postgres {
            for queue in queues.sorted() {
                _ = try db.queryOne("SELECT pg_notify(?, ?)", JobWakeups.channel, queue) { _ in true }
            }
        }
        db.afterCommit { notifier.notify(queues: queues) }
    }
}

/// How a `jobs` row is read into a `JobRecord`, for every store.
enum JobRows {
    static let columns = """
        id, kind, queue, state, payload, priority, attempts, max_attempts, unique_key, run_at, created_at,
        started_at, finished_at, lease_owner, lease_expires_at, last_error
        """

    static func record(_ row: any SQLRow) -> JobRecord {
        JobRecord(id: row.int64(0), kind: row.string(1), queue: row.string(2),
                  state: JobState(rawValue: row.string(3)) ?? .dead, payload: row.string(4), priority: row.int(5),
                  attempts: row.int(6), maxAttempts: row.int(7), uniqueKey: row.optionalString(8), runAt: row.date(9),
                  createdAt: row.date(10), startedAt: row.optionalDate(11), finishedAt: row.optionalDate(12),
                  leaseOwner: row.optionalString(13), leaseExpiresAt: row.optionalDate(14), lastError: row.optionalString(15))
    }

    static func record(_ db: any SQLConnection, id: Int64) throws -> JobRecord? {
        try db.queryOne("SELECT \(columns) FROM jobs WHERE id = ?", id, map: record)
    }
}

/// What taking back an expired lease writes, on either backend: the job is ready again, or dead
/// when that was its last attempt or the `maxLeaseLosses`th attempt in a row whose worker
/// vanished. `now` and `maxLeaseLosses` name the statement's placeholders (`?1`).
enum LeaseRescue {
    static func assignments(now: String, maxLeaseLosses: String) -> String {
        """
        state = CASE WHEN attempts >= max_attempts OR lease_losses + 1 >= \(maxLeaseLosses) THEN 'dead' ELSE 'ready' END,
            finished_at = CASE WHEN attempts >= max_attempts OR lease_losses + 1 >= \(maxLeaseLosses) THEN \(now) ELSE NULL END,
            last_error = CASE WHEN lease_losses + 1 >= \(maxLeaseLosses)
                THEN 'worker died while running this job ' || (lease_losses + 1) || ' times'
                ELSE 'lease expired: worker ' || coalesce(lease_owner, '?') || ' stopped without finishing attempt ' || attempts
            END,
            lease_losses = lease_losses + 1,
            lease_owner = NULL, lease_expires_at = NULL
        """
    }
}
