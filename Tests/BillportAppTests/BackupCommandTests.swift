import Foundation
import SQLite
import TestSupport
import Testing

/// `billport backup PATH` through the real binary, on the database `billport demo` made.
@Suite struct BackupCommandTests {
    let billport = ChildProcess.builtProduct("billport")

    @Test func backupWritesAVerifiedPrivateCopyWithTheDataAndRefusesToOverwrite() async throws {
        let dir = TemporaryDirectory()
        let environment = ["BILLPORT_DATA_DIRECTORY": dir.file("data"), "BILLPORT_HTTP_PORT": "18999"]
        func run(_ arguments: [String]) async throws -> (status: Int32?, out: String, err: String) {
            let process = try ChildProcess(billport, arguments, directory: dir.path, environment: environment)
            let status = try await process.waitForExit()
            return (status, process.stdout, process.stderr)
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
}
