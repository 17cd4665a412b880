import BillportCore
import Foundation
import Queue
import Relational

/// Schedule state and the leader lease, on SQLite or PostgreSQL.
///
/// Each tick is one write transaction: SQLite has one writer, and PostgreSQL runs it
/// SERIALIZABLE, so two schedulers ticking at once on two hosts are ordered (the loser's
/// transaction fails and runs again, then finds the lease held): never two leaders, never a slot
/// fired twice.
public final class SQLScheduleStore: Sendable {
    private let database: any SQLDatabase
    private let jobs: any TransactionalJobStore
    /// The lease row's name: one scheduler leads per database.
    static let leaseName = "scheduler"

    /// A store on `database` that enqueues through `jobs` (on the same database), in the same
    /// transaction as the schedule's state.
    public init(database: any SQLDatabase, jobs: any TransactionalJobStore) {
        self.database = database
        self.jobs = jobs
    }

    /// A store on the database `jobs` keeps its jobs in.
    public convenience init(jobs: any SQLJobStore) {
        self.init(database: jobs.sqlDatabase, jobs: jobs)
    }

    /// One tick in one transaction: take or renew the lease; if this process leads, apply each
    /// schedule's decision. The lease check and the firings commit together, so a process that
    /// lost the lease cannot fire.
    public func tick(holder: String, leaseDuration: Duration, schedules: [Schedule], now: Date) async throws -> SchedulerTick {
        let jobs = self.jobs
        return try await database.write { db in
            guard try Self.lead(db, holder: holder, until: now.addingTimeInterval(leaseDuration.timeInterval), now: now) else {
                return SchedulerTick(isLeader: false)
            }
            var tick = SchedulerTick(isLeader: true)
            let states = Dictionary(uniqueKeysWithValues: try Self.states(db).map { ($0.name, $0) })
            for schedule in schedules {
                switch ScheduleDecision.decide(schedule, state: states[schedule.name], now: now) {
                case .start(let next):
                    try db.execute("""
                        INSERT INTO schedules (name, spec, kind, next_run_at, updated_at) VALUES (?, ?, ?, ?, ?)
                        ON CONFLICT (name) DO UPDATE SET spec = excluded.spec, kind = excluded.kind,
                            next_run_at = excluded.next_run_at, updated_at = excluded.updated_at
                        """, schedule.name, schedule.spec.description, schedule.kind, next, now)
                case .fire(let slot, let next):
                    let result = try jobs.enqueue([schedule.job(forSlot: slot)], in: db)[0]
                    try db.execute("""
                        UPDATE schedules SET next_run_at = ?, last_run_at = ?, last_job_id = ?, updated_at = ? WHERE name = ?
                        """, next, slot, result.id, now, schedule.name)
                    tick.fired.append(.init(schedule: schedule.name, slot: slot, jobID: result.id))
                case .wait, .never:
                    break
                }
            }
            let configured = Set(schedules.map(\.name))
            for stale in states.keys where !configured.contains(stale) {
                try db.execute("DELETE FROM schedules WHERE name = ?", stale)
            }
            return tick
        }
    }

    /// Gives up the lease at shutdown so that another process can lead at once.
    public func resign(holder: String) async throws {
        try await database.write { db in
            try db.execute("DELETE FROM leader_leases WHERE name = ? AND holder = ?", Self.leaseName, holder)
        }
    }

    /// Every stored schedule state.
    public func states() async throws -> [ScheduleState] {
        try await database.read { db in try Self.states(db) }
    }

    /// The current leader lease, if any (it may have expired).
    public func leader() async throws -> LeaderLease? {
        try await database.read { db in
            try db.queryOne("SELECT holder, acquired_at, expires_at FROM leader_leases WHERE name = ?", Self.leaseName) {
                LeaderLease(holder: $0.string(0), acquiredAt: $0.date(1), expiresAt: $0.date(2))
            }
        }
    }

    /// Takes the lease if it is free or expired, renews it if held by `holder`.
    static func lead(_ db: any SQLConnection, holder: String, until expiresAt: Date, now: Date) throws -> Bool {
        let leader = try db.queryOne("""
            INSERT INTO leader_leases (name, holder, acquired_at, expires_at) VALUES (?1, ?2, ?3, ?4)
            ON CONFLICT (name) DO UPDATE SET
                holder = excluded.holder,
                expires_at = excluded.expires_at,
                acquired_at = CASE WHEN leader_leases.holder = excluded.holder THEN leader_leases.acquired_at ELSE excluded.acquired_at END
            WHERE leader_leases.holder = excluded.holder OR leader_leases.expires_at <= ?3
            RETURNING holder
            """, leaseName, holder, now, expiresAt) { $0.string(0) }
        return leader == holder
    }

    static func states(_ db: any SQLConnection) throws -> [ScheduleState] {
        try db.query("SELECT name, spec, kind, next_run_at, last_run_at, last_job_id FROM schedules ORDER BY name") {
            ScheduleState(name: $0.string(0), spec: $0.string(1), kind: $0.string(2), nextRunAt: $0.date(3),
                          lastRunAt: $0.optionalDate(4), lastJobID: $0.optionalInt64(5))
        }
    }
}
