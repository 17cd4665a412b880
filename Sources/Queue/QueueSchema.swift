import Relational
import SQLite

/// The queue's tables. Times are integer milliseconds since 1970 UTC.
public enum QueueSchema {
    /// In order; never edit a released one.
    public static let migrations: [Migration] = [
        Migration(id: "queue.001_jobs", sql: """
            CREATE TABLE jobs (
                id INTEGER PRIMARY KEY,
                queue TEXT NOT NULL,
                kind TEXT NOT NULL,
                payload TEXT NOT NULL,
                state TEXT NOT NULL CHECK (state IN ('scheduled', 'ready', 'running', 'done', 'dead', 'cancelled')),
                priority INTEGER NOT NULL DEFAULT 0,
                run_at INTEGER NOT NULL,
                attempts INTEGER NOT NULL DEFAULT 0,
                max_attempts INTEGER NOT NULL,
                unique_key TEXT,
                lease_owner TEXT,
                lease_expires_at INTEGER,
                last_error TEXT,
                created_at INTEGER NOT NULL,
                started_at INTEGER,
                finished_at INTEGER
            ) STRICT;
            -- What a claim scans: ready jobs only, in claim order.
            CREATE INDEX jobs_ready ON jobs (queue, priority, run_at, id) WHERE state = 'ready';
            -- Delayed and backing-off jobs, promoted to ready when due.
            CREATE INDEX jobs_scheduled ON jobs (run_at) WHERE state = 'scheduled';
            -- Leases to rescue when a worker died.
            CREATE INDEX jobs_running ON jobs (lease_expires_at) WHERE state = 'running';
            -- Retention pruning.
            CREATE INDEX jobs_finished ON jobs (finished_at) WHERE state IN ('done', 'dead', 'cancelled');
            -- At most one active job per unique key.
            CREATE UNIQUE INDEX jobs_unique_active ON jobs (unique_key)
                WHERE unique_key IS NOT NULL AND state IN ('scheduled', 'ready', 'running');
            """),
        // Attempts in a row that ended with the worker gone (lease expired, no acknowledgement),
        // so that a job that kills its worker stops being handed to the next one.
        Migration(id: "queue.002_lease_losses", sql: """
            ALTER TABLE jobs ADD COLUMN lease_losses INTEGER NOT NULL DEFAULT 0;
            """),
        // Retention pruning deletes done and dead jobs on different dates: by state first, so
        // that each pass reads only the jobs it deletes.
        Migration(id: "queue.003_finished_by_state", sql: """
            DROP INDEX jobs_finished;
            CREATE INDEX jobs_finished ON jobs (state, finished_at) WHERE state IN ('done', 'dead', 'cancelled');
            """),
        // Jobs waiting to run again after a failed attempt, newest attempt first: what the
        // operator's queue page lists as recent failures. Only failing jobs are in it.
        Migration(id: "queue.004_retrying", sql: """
            CREATE INDEX jobs_retrying ON jobs (state, started_at) WHERE state = 'scheduled' AND last_error IS NOT NULL;
            """),
    ]
}
