import Relational

/// The scheduler's tables: each schedule's state, and the leader lease.
public enum SchedulerSchema {
    /// In order; never edit a released one.
    public static let migrations: [Migration] = [
        Migration(id: "scheduler.001_schedules", sql: """
            CREATE TABLE schedules (
                name TEXT PRIMARY KEY,
                spec TEXT NOT NULL,
                kind TEXT NOT NULL,
                next_run_at INTEGER NOT NULL,
                last_run_at INTEGER,
                last_job_id INTEGER,
                updated_at INTEGER NOT NULL
            ) STRICT;
            CREATE TABLE leader_leases (
                name TEXT PRIMARY KEY,
                holder TEXT NOT NULL,
                acquired_at INTEGER NOT NULL,
                expires_at INTEGER NOT NULL
            ) STRICT;
            """),
    ]

    /// The same tables for PostgreSQL (times as BIGINT milliseconds).
    public static let postgresMigrations: [Migration] = [
        Migration(id: "scheduler.pg001_schedules", sql: """
            CREATE TABLE schedules (
                name TEXT PRIMARY KEY,
                spec TEXT NOT NULL,
                kind TEXT NOT NULL,
                next_run_at BIGINT NOT NULL,
                last_run_at BIGINT,
                last_job_id BIGINT,
                updated_at BIGINT NOT NULL
            );
            CREATE TABLE leader_leases (
                name TEXT PRIMARY KEY,
                holder TEXT NOT NULL,
                acquired_at BIGINT NOT NULL,
                expires_at BIGINT NOT NULL
            );
            """),
    ]
}
