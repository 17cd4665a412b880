import Foundation
import Relational
import SQLite
import Synchronization
import TestSupport
import Testing

@Suite struct DatabaseTests {
    @Test func opensInWALModeWithForeignKeysAndBusyTimeout() throws {
        let temp = try TemporaryDatabase()
        let mode = try temp.database.withWriterConnection { try $0.queryOne("PRAGMA journal_mode") { $0.string(0) } }
        #expect(mode == "wal")
        let foreignKeys = try temp.database.withWriterConnection { try $0.queryOne("PRAGMA foreign_keys") { $0.int(0) } }
        #expect(foreignKeys == 1)
        let synchronous = try temp.database.withWriterConnection { try $0.queryOne("PRAGMA synchronous") { $0.int(0) } }
        #expect(synchronous == 1) // NORMAL
    }

    @Test func synchronousFullIsConfigurable() throws {
        let temp = try TemporaryDatabase(configuration: .init(synchronous: .full))
        let synchronous = try temp.database.withWriterConnection { try $0.queryOne("PRAGMA synchronous") { $0.int(0) } }
        #expect(synchronous == 2)
    }

    @Test func bindsAndReadsEveryType() async throws {
        let temp = try TemporaryDatabase()
        let when = Date(unixMilliseconds: 1_795_341_600_123)
        let row = try await temp.database.write { db in
            try db.execute("CREATE TABLE t (i INTEGER, r REAL, s TEXT, b BLOB, d INTEGER, n TEXT, flag INTEGER)")
            try db.execute("INSERT INTO t VALUES (?, ?, ?, ?, ?, ?, ?)",
                           Int64.max, 2.5, "Grüße 💶", [UInt8]([0, 1, 255]), when, String?.none, true)
            return try db.queryOne("SELECT i, r, s, b, d, n, flag FROM t") { row in
                [String(row.int64(0)), "\(row.double(1))", row.string(2), "\(row.blob(3))",
                 "\(row.date(4).unixMilliseconds)", "\(row.optionalString(5) as Any)", "\(row.bool(6))"]
            }
        }
        #expect(row == ["9223372036854775807", "2.5", "Grüße 💶", "[0, 1, 255]", "1795341600123", "nil", "true"])
    }

    @Test func rollsBackWhenTheBodyThrowsAndKeepsWhatCommitted() async throws {
        let temp = try TemporaryDatabase()
        struct Boom: Error {}
        try await temp.database.write { try $0.execute("CREATE TABLE t (x INTEGER)") }
        await #expect(throws: Boom.self) {
            try await temp.database.write { db in
                try db.execute("INSERT INTO t VALUES (1)")
                throw Boom()
            }
        }
        try await temp.database.write { try $0.execute("INSERT INTO t VALUES (2)") }
        let values = try await temp.database.read { try $0.query("SELECT x FROM t") { $0.int(0) } }
        #expect(values == [2])
    }

    @Test func errorsCarryCodeMessageAndStatementButNoValues() async throws {
        let temp = try TemporaryDatabase()
        try await temp.database.write { try $0.execute("CREATE TABLE t (x TEXT UNIQUE)") }
        try await temp.database.write { try $0.execute("INSERT INTO t VALUES (?)", "secret@example.com") }
        let error = try await #require(throws: SQLiteError.self) {
            try await temp.database.write { try $0.execute("INSERT INTO t VALUES (?)", "secret@example.com") }
        }
        #expect(error.isConstraintViolation)
        #expect(error.code == 2067) // SQLITE_CONSTRAINT_UNIQUE
        #expect(error.description.contains("UNIQUE constraint failed: t.x"))
        #expect(error.description.contains("INSERT INTO t VALUES (?)"))
        #expect(!error.description.contains("secret@example.com"))
    }

    @Test func afterCommitRunsOnlyOnCommit() async throws {
        let temp = try TemporaryDatabase()
        let fired = Fired()
        try await temp.database.write { db in db.afterCommit { fired.mark("commit") } }
        _ = try? await temp.database.write { db in
            db.afterCommit { fired.mark("rollback") }
            throw SQLiteError(code: 1, message: "forced")
        }
        #expect(fired.marks == ["commit"])
    }

    @Test func aFileThatIsNotADatabaseGivesOneClearError() throws {
        let dir = TemporaryDirectory()
        let path = dir.file("junk.sqlite")
        try Data(repeating: 0x42, count: 4096).write(to: URL(fileURLWithPath: path))
        let error = try #require(throws: SQLiteError.self) { try Database(path: path) }
        #expect(error.description.contains("file is not a database"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == Data(repeating: 0x42, count: 4096))
    }

    @Test func anUnreachablePathGivesOneClearError() throws {
        let error = try #require(throws: SQLiteError.self) { try Database(path: "/nonexistent-dir/x/billport.sqlite") }
        #expect(error.description.contains("unable to open database file"))
        #expect(error.description.contains("/nonexistent-dir/x/billport.sqlite"))
    }

    @Test func aLockedFileReportsBusyAfterTheRetryLimitInsteadOfHanging() async throws {
        let temp = try TemporaryDatabase(configuration: .init(busyTimeout: .milliseconds(200)))
        let other = try Database(path: temp.path, configuration: .init(busyTimeout: .milliseconds(50)))
        try await temp.database.write { try $0.execute("CREATE TABLE t (x INTEGER)") }
        // Another connection holds the write lock for the whole attempt.
        try other.withWriterConnection { try $0.execute("BEGIN IMMEDIATE") }
        let error = try await #require(throws: SQLiteError.self) {
            try await temp.database.write { try $0.execute("INSERT INTO t VALUES (1)") }
        }
        #expect(error.isBusy)
        try other.withWriterConnection { try $0.execute("ROLLBACK") }
        try await temp.database.write { try $0.execute("INSERT INTO t VALUES (1)") }
        #expect(try await temp.database.read { try $0.queryOne("SELECT count(*) FROM t") { $0.int(0) } } == 1)
    }

    @Test func statementsAreCachedAndReusedAcrossCalls() async throws {
        let temp = try TemporaryDatabase()
        try await temp.database.write { db in
            try db.execute("CREATE TABLE t (x INTEGER)")
            for value in 0..<1000 { try db.execute("INSERT INTO t VALUES (?)", value) }
        }
        let sum = try await temp.database.read { try $0.queryOne("SELECT sum(x) FROM t") { $0.int(0) } }
        #expect(sum == 499_500)
    }
}

final class Fired: Sendable {
    private let storage = Mutex<[String]>([])
    func mark(_ name: String) { storage.withLock { $0.append(name) } }
    var marks: [String] { storage.withLock { $0 } }
}
