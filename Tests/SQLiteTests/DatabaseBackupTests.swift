import Foundation
import Relational
import SQLite
import Synchronization
import TestSupport
import Testing

/// `Database.backup(to:)`: a snapshot taken while another task keeps committing is always the
/// database as of one commit, and the file is private and verified.
@Suite struct DatabaseBackupTests {
    @Test func backupsTakenWhileAWriterCommitsHoldAPrefixOfTheCommittedHistory() async throws {
        let dir = TemporaryDirectory()
        let database = try Database(path: dir.file("live.sqlite"))
        try await database.write { db in
            try db.execute("CREATE TABLE ledger (id INTEGER PRIMARY KEY, amount INTEGER NOT NULL, running INTEGER NOT NULL)")
        }
        // Each commit appends the next id with the running total, so a torn copy would show a gap
        // or a total that does not add up.
        let committed = Atomic<Int>(0)
        let stop = Atomic<Bool>(false)
        let writer = Task {
            var id = 0
            var running = 0
            while !stop.load(ordering: .relaxed) {
                id += 1
                running += id
                try await database.write { [id, running] db in
                    try db.execute("INSERT INTO ledger (id, amount, running) VALUES (?, ?, ?)", id, id, running)
                }
                committed.store(id, ordering: .releasing)
            }
        }
        var counts: [Int] = []
        for round in 1...3 {
            try await eventually("the writer to commit more") { committed.load(ordering: .acquiring) >= round * 200 }
            let path = dir.file("backup-\(round).sqlite")
            let result = try await database.backup(to: path)
            let after = committed.load(ordering: .acquiring)
            #expect(result.bytes > 0 && result.path == path)
            let mode = try #require(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber).intValue
            #expect(mode & 0o777 == 0o600, "a backup holds what the database holds")
            let copy = try Database(path: path)
            let rows = try await copy.read { db in
                try db.query("SELECT id, amount, running FROM ledger ORDER BY id") { ($0.int64(0), $0.int64(1), $0.int64(2)) }
            }
            let integrity = try await copy.read { db in try db.query("PRAGMA integrity_check") { $0.string(0) } }
            #expect(integrity == ["ok"])
            #expect(rows.enumerated().allSatisfy { index, row in row.0 == Int64(index + 1) && row.2 == row.0 * (row.0 + 1) / 2 },
                    "a prefix of the history, without gaps")
            #expect(rows.count >= round * 200 && rows.count <= after)
            counts.append(rows.count)
        }
        stop.store(true, ordering: .relaxed)
        try await writer.value
        #expect(counts == counts.sorted())
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.contains(".partial") }.isEmpty)
    }

    @Test func anExistingFileIsNeverOverwritten() async throws {
        let dir = TemporaryDirectory()
        let database = try Database(path: dir.file("live.sqlite"))
        let path = dir.file("keep.sqlite")
        FileManager.default.createFile(atPath: path, contents: Data("precious".utf8))
        let error = await #expect(throws: SQLiteError.self) { try await database.backup(to: path) }
        #expect(error?.message.contains("exists") == true)
        #expect(FileManager.default.contents(atPath: path) == Data("precious".utf8))
    }
}
