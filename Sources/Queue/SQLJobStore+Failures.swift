import BillportCore
import Foundation
import Relational

/// What went wrong, for the operator's queue page: bounded lists read through partial indexes,
/// so a page view costs the same however much history the jobs table holds.
extension SQLJobStore {
    /// Jobs whose last attempt failed and that wait for their next one, newest attempt first
    /// (at most `limit`, 1…1000).
    public func retryingJobs(limit: Int) async throws -> [JobRecord] {
        try await sqlDatabase.read { db in try db.query(Self.retryingSQL, Self.clamped(limit), map: JobRows.record) }
    }

    /// Dead jobs, the most recently dead first (at most `limit`, 1…1000).
    public func deadJobs(limit: Int) async throws -> [JobRecord] {
        try await sqlDatabase.read { db in try db.query(Self.deadSQL, Self.clamped(limit), map: JobRows.record) }
    }

    /// Uses `jobs_retrying`, whose condition it repeats so that SQLite can use the partial index.
    static var retryingSQL: String { """
        SELECT \(JobRows.columns) FROM jobs WHERE state = 'scheduled' AND last_error IS NOT NULL
        ORDER BY started_at DESC, id DESC LIMIT ?
        """
    }

    /// Uses `jobs_finished`: SQLite uses a partial index only for a query that states its condition.
    static var deadSQL: String { """
        SELECT \(JobRows.columns) FROM jobs WHERE state IN ('done', 'dead', 'cancelled') AND state = 'dead'
        ORDER BY finished_at DESC, id DESC LIMIT ?
        """
    }

    private static func clamped(_ limit: Int) -> Int { max(1, min(limit, 1000)) }
}
