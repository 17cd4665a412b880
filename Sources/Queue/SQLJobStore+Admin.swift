import BillportCore
import Foundation
import Relational

/// Inspection and operator actions: show, list, cancel, retry, prune, stats.
extension SQLJobStore {
    public func job(id: Int64) async throws -> JobRecord? {
        try await sqlDatabase.read { db in try JobRows.record(db, id: id) }
    }

    public func jobs(state: JobState?, queue: String?, kind: String?, limit: Int, beforeID: Int64?) async throws -> [JobRecord] {
        var conditions: [String] = []
        var arguments: [any SQLValueConvertible] = []
        if let state { conditions.append("state = ?"); arguments.append(state.rawValue) }
        if let queue { conditions.append("queue = ?"); arguments.append(queue) }
        if let kind { conditions.append("kind = ?"); arguments.append(kind) }
        if let beforeID { conditions.append("id < ?"); arguments.append(beforeID) }
        let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        arguments.append(max(1, min(limit, 1000)))
        let sql = "SELECT \(JobRows.columns) FROM jobs \(filter) ORDER BY id DESC LIMIT ?"
        let bound = arguments.map(\.sqlValue)
        return try await sqlDatabase.read { db in try db.query(sql, arguments: bound, map: JobRows.record) }
    }

    public func cancel(id: Int64) async throws -> JobRecord? {
        let now = clock.now()
        return try await sqlDatabase.write { db in
            guard let job = try JobRows.record(db, id: id) else { return nil }
            guard JobState.active.contains(job.state) else {
                throw JobStateConflict(id: id, state: job.state, action: "cancelled")
            }
            try db.execute("""
                UPDATE jobs SET state = 'cancelled', finished_at = ?, lease_owner = NULL, lease_expires_at = NULL
                WHERE id = ?
                """, now, id)
            return try JobRows.record(db, id: id)
        }
    }

    public func retry(id: Int64) async throws -> JobRecord? {
        let now = clock.now()
        let notifier = self.notifier
        return try await sqlDatabase.write { db in
            guard let job = try JobRows.record(db, id: id) else { return nil }
            let greatest = db.dialect == .sqlite ? "max" : "GREATEST"
            guard [.dead, .cancelled, .scheduled].contains(job.state) else {
                throw JobStateConflict(id: id, state: job.state, action: "retried")
            }
            do {
                try db.execute("""
                    UPDATE jobs SET state = 'ready', run_at = ?, max_attempts = \(greatest)(max_attempts, attempts + 1), finished_at = NULL,
                        lease_losses = 0
                    WHERE id = ?
                    """, now, id)
            } catch let error as any SQLFailure where error.isConstraintViolation {
                throw JobStateConflict(id: id, state: job.state, action: "retried while another active job holds its unique key")
            }
            try Self.wake([job.queue], notifier: notifier, db)
            return try JobRows.record(db, id: id)
        }
    }

    public func prune(doneBefore: Date, deadBefore: Date) async throws -> Int {
        var total = 0
        // Small batches, each its own transaction, so pruning never holds the write lock for long.
        // The index's own condition is repeated: SQLite uses a partial index only for a query
        // that states its condition, and does not see that fewer states imply it.
        for (states, before) in [("'done', 'cancelled'", doneBefore), ("'dead'", deadBefore)] {
            while true {
                let deleted = try await sqlDatabase.write { db -> Int in
                    try db.execute("""
                        DELETE FROM jobs WHERE id IN (
                            SELECT id FROM jobs WHERE state IN ('done', 'dead', 'cancelled') AND state IN (\(states)) AND finished_at < ?
                            LIMIT 2000
                        )
                        """, before)
                    return db.changes
                }
                total += deleted
                if deleted < 2000 { break }
            }
        }
        return total
    }

    public func stats() async throws -> QueueStats {
        let now = clock.now()
        return try await sqlDatabase.read { db in
            var queues: [String: QueueStats.Queue] = [:]
            let counts = try db.query("SELECT queue, state, count(*) FROM jobs GROUP BY queue, state") { row in
                (row.string(0), JobState(rawValue: row.string(1)), row.int(2))
            }
            for case let (queue, state?, count) in counts {
                queues[queue, default: .init()].counts[state] = count
            }
            let oldest = try db.query("SELECT queue, min(run_at) FROM jobs WHERE state = 'ready' GROUP BY queue") { row in
                (row.string(0), row.int64(1))
            }
            for (queue, runAt) in oldest {
                queues[queue, default: .init()].oldestReadyAge = .milliseconds(max(0, now.unixMilliseconds - runAt))
            }
            return QueueStats(queues: queues)
        }
    }
}
