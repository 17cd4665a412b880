import BillportCore
import Foundation
import Queue
import Relational
import SQLite
import TestSupport

/// A migrated temporary database with a store on a manual clock.
struct QueueFixture {
    let temp: TemporaryDatabase
    let clock = ManualClock()
    let store: SQLiteJobStore

    init(configuration: QueueConfiguration = .init(leaseDuration: .seconds(30), defaultMaxAttempts: 3)) throws {
        temp = try TemporaryDatabase(migrations: QueueSchema.migrations)
        store = SQLiteJobStore(database: temp.database, configuration: configuration, clock: clock)
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
