import BillportCore
import Foundation
import PostgreSQL
import Relational

/// The durable queue on PostgreSQL, shared by every host.
///
/// Claims, acknowledgements and heartbeats run in READ COMMITTED transactions and take their
/// rows with `FOR UPDATE SKIP LOCKED`: several worker hosts never take the same job and never
/// wait for each other. A claim is two statements: one settles the acknowledgements (all kinds
/// in one `UPDATE … FROM jsonb_to_recordset`), promotes due scheduled jobs and takes back
/// expired leases; the next claims, and sees what the first made ready. Enqueue and the
/// operator's actions are shared with SQLite (`SQLJobStore`); an enqueue of ready jobs sends
/// `NOTIFY billport_jobs` at commit, which `PostgresJobListener` turns into this host's wake-ups.
public final class PostgresJobStore: SQLJobStore {
    /// The database holding the `jobs` table (`QueueSchema.postgresMigrations`).
    public let database: PostgresDatabase
    public let configuration: QueueConfiguration
    public let clock: any WallClock
    public let notifier: JobNotifier
    public var sqlDatabase: any SQLDatabase { database }

    /// A store over `database`; give the listener the same `notifier` so that other hosts'
    /// enqueues wake this host's workers.
    public init(database: PostgresDatabase, configuration: QueueConfiguration = .init(), clock: any WallClock = SystemClock(),
                notifier: JobNotifier = JobNotifier()) {
        self.database = database
        self.configuration = configuration
        self.clock = clock
        self.notifier = notifier
    }

    // MARK: Claim

    public func claim(queue: String, limit: Int, worker: String, acknowledging acknowledgements: [Acknowledgement]) async throws -> [ClaimedJob] {
        guard limit > 0 || !acknowledgements.isEmpty else { return [] }
        let now = clock.now()
        let leaseExpiresAt = now.addingTimeInterval(configuration.leaseDuration.timeInterval)
        let settlement = Settlement(acknowledgements: acknowledgements, now: now, maxLeaseLosses: configuration.maxLeaseLosses,
                                    maintain: limit > 0, claimingQueue: queue)
        let notifier = self.notifier
        return try await database.writeReadCommitted { db in
            try settlement.apply(db, notifier: notifier)
            guard limit > 0 else { return [] }
            let claimed = try db.query(Self.claimSQL, queue, limit, worker, leaseExpiresAt, now) { row in
                ClaimedJob(id: row.int64(0), kind: row.string(1), queue: row.string(2), payload: row.string(3),
                           attempt: row.int(4), maxAttempts: row.int(5), priority: row.int(6),
                           enqueuedAt: row.date(7), runAt: row.date(8))
            }
            // RETURNING gives no order; hand jobs out in claim order.
            return claimed.sorted { ($0.priority, $0.runAt, $0.id) < ($1.priority, $1.runAt, $1.id) }
        }
    }

    /// Takes up to `?2` ready jobs of queue `?1` in claim order, skipping rows another host has
    /// locked; a row another host changed meanwhile is checked again and skipped unless still ready.
    static let claimSQL = """
        WITH picked AS (
            SELECT id FROM jobs WHERE state = 'ready' AND queue = ?1
            ORDER BY priority, run_at, id LIMIT ?2
            FOR UPDATE SKIP LOCKED
        )
        UPDATE jobs SET state = 'running', attempts = jobs.attempts + 1, lease_owner = ?3, lease_expires_at = ?4, started_at = ?5
        FROM picked WHERE jobs.id = picked.id
        RETURNING jobs.id, jobs.kind, jobs.queue, jobs.payload, jobs.attempts, jobs.max_attempts, jobs.priority,
            jobs.created_at, jobs.run_at
        """

    // MARK: Acknowledge

    public func acknowledge(_ acknowledgements: [Acknowledgement]) async throws {
        guard !acknowledgements.isEmpty else { return }
        let settlement = Settlement(acknowledgements: acknowledgements, now: clock.now(), maxLeaseLosses: configuration.maxLeaseLosses,
                                    maintain: false, claimingQueue: nil)
        let notifier = self.notifier
        try await database.writeReadCommitted { db in try settlement.apply(db, notifier: notifier) }
    }

    // MARK: Heartbeat

    public func heartbeat(_ leases: [JobLease], worker: String) async throws -> Set<JobLease> {
        guard !leases.isEmpty else { return [] }
        let expiresAt = clock.now().addingTimeInterval(configuration.leaseDuration.timeInterval)
        let leasesJSON = LeaseList.json(leases)
        let held = try await database.writeReadCommitted { db in
            try db.query("""
                UPDATE jobs SET lease_expires_at = ?1
                FROM jsonb_to_recordset(CAST(?2 AS jsonb)) AS lease(id BIGINT, attempt BIGINT)
                WHERE jobs.id = lease.id AND jobs.attempts = lease.attempt AND jobs.state = 'running' AND jobs.lease_owner = ?3
                RETURNING jobs.id, jobs.attempts
                """, expiresAt, leasesJSON, worker) { JobLease(id: $0.int64(0), attempt: $0.int(1)) }
        }
        return Set(leases).subtracting(held)
    }
}

/// Leases as the JSON array `jsonb_to_recordset` reads: one parameter for any number of rows.
enum LeaseList {
    private struct Entry: Encodable { let id: Int64; let attempt: Int }

    static func json(_ leases: [JobLease]) -> String {
        encode(leases.map { Entry(id: $0.id, attempt: $0.attempt) })
    }

    /// JSON text of `value`; the encodable types here cannot fail to encode.
    static func encode(_ value: some Encodable) -> String {
        let data = (try? JSONEncoder().encode(value)) ?? Data("[]".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}
