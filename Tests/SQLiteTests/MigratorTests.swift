import Foundation
import Relational
import SQLite
import TestSupport
import Testing

@Suite struct MigratorTests {
    let migrations = [
        Migration(id: "test.001_a", sql: "CREATE TABLE a (x INTEGER); CREATE INDEX a_x ON a (x);"),
        Migration(id: "test.002_b", sql: "CREATE TABLE b (y TEXT)"),
    ]

    @Test func appliesEachMigrationOnceAndRecordsIt() throws {
        let temp = try TemporaryDatabase()
        #expect(try Migrator.migrate(temp.database, migrations: migrations) == ["test.001_a", "test.002_b"])
        #expect(try Migrator.migrate(temp.database, migrations: migrations) == [])
        let ids = try temp.database.readBlocking { try $0.query("SELECT id FROM schema_migrations ORDER BY id") { $0.string(0) } }
        #expect(ids == ["test.001_a", "test.002_b"])
    }

    @Test func aFailingMigrationLeavesNothingOfItself() throws {
        let temp = try TemporaryDatabase()
        let broken = migrations + [Migration(id: "test.003_bad", sql: "CREATE TABLE c (z INTEGER); CREATE TABLE a (x INTEGER);")]
        let error = try #require(throws: Migrator.Failure.self) { try Migrator.migrate(temp.database, migrations: broken) }
        #expect("\(error)".contains("migration test.003_bad failed"))
        #expect("\(error)".contains("table a already exists"))
        let tables = try temp.database.readBlocking {
            try $0.query("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name") { $0.string(0) }
        }
        #expect(tables == ["a", "b", "schema_migrations"])
    }

    @Test func refusesADatabaseMigratedByANewerBinary() throws {
        let temp = try TemporaryDatabase()
        try Migrator.migrate(temp.database, migrations: migrations)
        let error = try #require(throws: Migrator.Failure.self) {
            try Migrator.migrate(temp.database, migrations: Array(migrations.prefix(1)))
        }
        #expect("\(error)".contains("newer billport"))
    }

    @Test func twoConnectionsMigratingAtOnceApplyEachMigrationOnce() async throws {
        let dir = TemporaryDirectory()
        let path = dir.file("race.sqlite")
        let many = (1...30).map { Migration(id: "race.\($0)", sql: "CREATE TABLE t\($0) (x INTEGER)") }
        let applied = try await withThrowingTaskGroup(of: [String].self) { group in
            for _ in 0..<3 {
                group.addTask {
                    let database = try Database(path: path)
                    return try Migrator.migrate(database, migrations: many)
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        #expect(applied.sorted() == many.map(\.id).sorted())
    }
}
