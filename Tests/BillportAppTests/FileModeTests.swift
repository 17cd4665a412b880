import Foundation
import Queue
import Relational
import SQLite
import TestSupport
import Testing

/// What `billport` stores is readable by its own user only, even when it existed before with
/// wider modes.
@Suite struct FileModeTests {
    let billport = ChildProcess.builtProduct("billport")

    func mode(_ path: String) -> Int {
        var info = stat()
        guard stat(path, &info) == 0 else { return -1 }
        return Int(info.st_mode & 0o777)
    }

    func write(_ text: String, to path: String, mode: mode_t) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        chmod(path, mode)
    }

    @Test func aWorldReadableDataDirectoryAndDatabaseAreMadePrivateAtStart() async throws {
        let dir = TemporaryDirectory()
        let data = dir.file("data")
        for folder in [data, data + "/secrets", data + "/outbox"] {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            chmod(folder, 0o755)
        }
        // An open connection keeps the -wal and -shm files in place while billport starts.
        let database = try Database(path: data + "/billport.sqlite")
        try Migrator.migrate(database, migrations: QueueSchema.migrations)
        let files = ["billport.sqlite", "billport.sqlite-wal", "billport.sqlite-shm"].map { data + "/" + $0 }
        for file in files {
            #expect(FileManager.default.fileExists(atPath: file), "\(file) should exist")
            chmod(file, 0o644)
        }
        try write(String(repeating: "k", count: 43), to: data + "/secrets/jwt.key", mode: 0o644)
        try write("journal line\n", to: data + "/views-1.journal", mode: 0o644)
        try write("Subject: hello\r\n\r\nhi\r\n", to: data + "/outbox/20261203T000000Z-a.eml", mode: 0o644)
        try write("#!/bin/sh\n", to: data + "/backup.sh", mode: 0o755)

        let migrate = try ChildProcess(billport, ["migrate"], directory: dir.path, environment: ["BILLPORT_DATA_DIRECTORY": "data"])
        #expect(try await migrate.waitForExit() == 0, "\(migrate.stderr)")

        for folder in [data, data + "/secrets", data + "/outbox"] {
            #expect(mode(folder) == 0o700, "\(folder) is \(String(mode(folder), radix: 8))")
        }
        for file in files + [data + "/secrets/jwt.key", data + "/views-1.journal", data + "/outbox/20261203T000000Z-a.eml"] {
            #expect(mode(file) == 0o600, "\(file) is \(String(mode(file), radix: 8))")
        }
        #expect(mode(data + "/backup.sh") == 0o700, "the owner's bits stay; only group and other lose access")
        _ = database
    }

    @Test func aFreshDataDirectoryIsPrivateWhateverTheShellsUmask() async throws {
        let dir = TemporaryDirectory()
        let migrate = try ChildProcess("/bin/sh", ["-c", "umask 000; exec \"$0\" migrate", billport], directory: dir.path,
                                       environment: ["BILLPORT_DATA_DIRECTORY": "data"])
        #expect(try await migrate.waitForExit() == 0, "\(migrate.stderr)")
        #expect(mode(dir.file("data")) == 0o700)
        #expect(mode(dir.file("data/billport.sqlite")) == 0o600)
    }
}
