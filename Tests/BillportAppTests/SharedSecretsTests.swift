@testable import BillportApp
import Foundation
import Relational
import TestSupport
import Testing

/// Generated keys: one per installation. On PostgreSQL every host reads the same row; on
/// SQLite they stay files in the data directory, as before.
@Suite struct SharedSecretsTests {
    let migrations = TestMigrations(sqlite: AppSchema.migrations, postgres: AppSchema.postgresMigrations)

    @Test func hostsStartingAtOnceAgreeOnOneKey() async throws {
        let test = try TestDatabase(migrations: migrations)
        let database = test.database
        let keys = try await withThrowingTaskGroup(of: [UInt8].self) { group in
            for _ in 0..<8 {
                group.addTask { try await Task.detached { try Secrets.stored(name: "jwt.key", in: database) }.value }
            }
            return try await group.reduce(into: Set<[UInt8]>()) { $0.insert($1) }
        }
        #expect(keys.count == 1)
        #expect(keys.first?.count == 43)
        #expect(try Secrets.generated(name: "jwt.key", in: .database(database)) == keys.first)
        #expect(try Secrets.generated(name: "unsubscribe.key", in: .database(database)) != keys.first)
    }

    @Test func aConfiguredSecretWinsOverTheStoredOne() throws {
        let test = try TestDatabase(migrations: migrations)
        let configured = String(repeating: "k", count: 40)
        #expect(try Secrets.jwtKey(configured: configured, store: .database(test.database)) == Array(configured.utf8))
        let rows = try test.database.readBlocking { db in try db.queryOne("SELECT COUNT(*) FROM secrets") { $0.int(0) } }
        #expect(rows == 0)
    }

    @Test func onSQLiteTheKeysStayFilesInTheDataDirectory() throws {
        let directory = TemporaryDirectory()
        let key = try Secrets.generated(name: "jwt.key", in: .directory(directory.path))
        #expect(try Secrets.existing(name: "jwt.key", in: directory.path) == key)
        let mode = try FileManager.default.attributesOfItem(atPath: directory.file("secrets/jwt.key"))[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }
}
