import BillportCore
import Foundation
import Queue
import Relational
import SQLite
import TestSupport

/// A migrated fresh database (SQLite, or PostgreSQL with `BILLPORT_TEST_BACKEND=postgres`) with
/// a store on a manual clock.
struct QueueFixture {
    static let migrations = TestMigrations(sqlite: QueueSchema.migrations, postgres: QueueSchema.postgresMigrations)

    let test: TestDatabase
    let clock = ManualClock()
    let store: any SQLJobStore

    init(configuration: QueueConfiguration = .init(leaseDuration: .seconds(30), defaultMaxAttempts: 3),
         backend: TestBackend = .selected) throws {
        test = try TestDatabase(migrations: Self.migrations, backend: backend)
        store = try JobStores.store(on: test.database, configuration: configuration, clock: clock)
    }

    @discardableResult
    func enqueue(_ kind: String = "test.job", payload: String = "{}", queue: String = "default", priority: Int = 0,
                 runAt: Date? = nil, maxAttempts: Int? = nil, uniqueKey: String? = nil) async throws -> EnqueueResult {
        try await store.enqueue(NewJob(kind: kind, payloadJSON: payload, queue: queue, priority: priority,
                                       runAt: runAt, maxAttempts: maxAttempts, uniqueKey: uniqueKey))
    }

    func state(_ id: Int64) async throws -> JobState? {
        try await store.job(id: id)?.state
    }
}
