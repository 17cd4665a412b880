import Foundation
import Relational
import SQLite
import TestSupport
import Testing

/// `billport backup PATH` and `billport restore PATH` through the real binary, on the database
/// `billport demo` made.
@Suite(.serialized) struct BackupCommandTests {
    let billport = ChildProcess.builtProduct("billport")

    /// Runs `billport arguments` to its end in `dir`; its exit status, stdout and stderr.
    func run(_ arguments: [String], in dir: TemporaryDirectory, _ environment: [String: String]) async throws
        -> (status: Int32?, out: String, err: String) {
        let process = try ChildProcess(billport, arguments, directory: dir.path, environment: environment)
        let status = try await process.waitForExit()
        return (status, process.stdout, process.stderr)
    }

    @Test func backupWritesAVerifiedPrivateCopyWithTheDataAndRefusesToOverwrite() async throws {
        let dir = TemporaryDirectory()
        let environment = ["BILLPORT_DATA_DIRECTORY": dir.file("data"), "BILLPORT_HTTP_PORT": "18999"]
        func run(_ arguments: [String]) async throws -> (status: Int32?, out: String, err: String) {
            try await self.run(arguments, in: dir, environment)
        }
        #expect(try await run(["demo"]).status == 0)
        let path = dir.file("billport-backup.sqlite")
        let backup = try await run(["backup", path])
        #expect(backup.status == 0, "\(backup.err)")
        #expect(backup.out.hasPrefix("backup \(path): ") && backup.out.contains("bytes in") && backup.out.contains("integrity ok"))
        let mode = try #require(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber).intValue
        #expect(mode & 0o777 == 0o600)
        let copy = try Database(path: path)
        let invoices = try await copy.read { db in try db.queryOne("SELECT count(*) FROM invoices") { $0.int(0) } }
        #expect(invoices == 3, "the demo's three invoices")

        let again = try await run(["backup", path])
        #expect(again.status == 1)
        #expect(again.err.contains("exists; a backup never overwrites a file"))
        let missing = try await run(["backup"])
        #expect(missing.status == 64, "usage error without PATH")
    }

    @Test func restoreIsRefusedWhileServeRunsThenPutsTheBackupBackAndKeepsWhatItReplaced() async throws {
        let dir = TemporaryDirectory()
        let environment = ["BILLPORT_DATA_DIRECTORY": dir.file("data"), "BILLPORT_HTTP_PORT": "0", "BILLPORT_SCHEDULER_ENABLED": "false"]
        func run(_ arguments: [String]) async throws -> (status: Int32?, out: String, err: String) {
            try await self.run(arguments, in: dir, environment)
        }
        #expect(try await run(["demo"]).status == 0)
        let backup = dir.file("before.sqlite")
        #expect(try await run(["backup", backup]).status == 0)
        #expect(try await run(["tenant", "create", "later", "--name", "Later Ltd"]).status == 0)

        let serve = try ChildProcess(billport, ["serve"], directory: dir.path, environment: environment, name: "serve")
        _ = try await serve.listeningPort()
        let refused = try await run(["restore", backup])
        #expect(refused.status == 1)
        #expect(refused.err.contains("is running on") && refused.err.contains("stop it first"))
        serve.send(SIGTERM)
        #expect(try await serve.waitForExit() == 0)

        let restored = try await run(["restore", backup])
        #expect(restored.status == 0, "\(restored.err)")
        #expect(restored.out.contains("the previous database is kept as"))
        func tenants(_ path: String) async throws -> [String] {
            try await Database(path: path).read { db in try db.query("SELECT slug FROM tenants ORDER BY slug") { $0.string(0) } }
        }
        #expect(try await !tenants(dir.file("data/billport.sqlite")).contains("later"), "the database is the backup again")
        let kept = try #require(try FileManager.default.contentsOfDirectory(atPath: dir.file("data")).first { $0.contains(".before-restore-") && !$0.hasSuffix("-wal") })
        #expect(try await tenants(dir.file("data/\(kept)")).contains("later"), "what it replaced is kept")
        #expect(try await run(["restore", dir.file("missing.sqlite")]).status == 1)
    }

    @Test func theBackupJobWritesVerifiedSnapshotsAndKeepsOnlyTheNewest() async throws {
        let dir = TemporaryDirectory()
        let environment = ["BILLPORT_DATA_DIRECTORY": dir.file("data"), "BILLPORT_BACKUP_KEEP": "2", "BILLPORT_SCHEDULER_ENABLED": "false"]
        func run(_ arguments: [String]) async throws -> Int32? { try await self.run(arguments, in: dir, environment).status }
        #expect(try await run(["demo"]) == 0)
        let database = try Database(path: dir.file("data/billport.sqlite"))
        func done() async throws -> Int {
            try await database.read { db in try db.queryOne("SELECT count(*) FROM jobs WHERE kind = 'backup.snapshot' AND state = 'done'") { $0.int(0) } ?? 0 }
        }
        let worker = try ChildProcess(billport, ["worker"], directory: dir.path, environment: environment, name: "worker")
        for round in 1...3 {
            #expect(try await run(["jobs", "enqueue", "backup.snapshot"]) == 0)
            try await eventually(timeout: .seconds(30), "backup \(round) to be done") { try await done() == round }
        }
        worker.send(SIGTERM)
        #expect(try await worker.waitForExit() == 0)
        let backups = try FileManager.default.contentsOfDirectory(atPath: dir.file("data/backups")).sorted()
        #expect(backups.count == 2, "backup.keep = 2: \(backups)")
        for name in backups {
            #expect(name.hasPrefix("billport-") && name.hasSuffix(".sqlite"))
            #expect(try Database.integrityCheck(path: dir.file("data/backups/\(name)")) == ["ok"])
        }
    }
}

