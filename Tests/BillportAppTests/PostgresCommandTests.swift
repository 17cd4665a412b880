@testable import BillportApp
import Foundation
import BillportCore
import PostgreSQL
import Queue
import Relational
import TestSupport
import Testing

/// `billport migrate` and `billport copy-database` against a real PostgreSQL server.
@Suite(.enabled(if: PostgresServer.isAvailable, PostgresServer.missing), .postgresServer)
struct PostgresCommandTests {
    let server = PostgresServer.current!

    /// The URL of a new, empty database on the suite's server, with a password libpq never
    /// needs (trust authentication) but the output must never show.
    func emptyDatabaseURL() throws -> String {
        let name = "cli_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        try PostgresConnection(server.connectionString).execute("CREATE DATABASE \(name)")
        return "postgres://postgres:hunter2@127.0.0.1:\(server.port)/\(name)"
    }

    @Test func migrateNamesTheDatabaseButNotItsPassword() async throws {
        let url = try emptyDatabaseURL()
        let directory = TemporaryDirectory()
        let captured = CapturedConsole()
        let status = await BillportCLI.run(["migrate"], environment: ["BILLPORT_DATABASE_URL": url, "BILLPORT_DATA_DIRECTORY": directory.path],
                                           console: captured.console)
        #expect(status == 0, "\(captured.err)")
        let name = String(url.split(separator: "/").last!)
        #expect(captured.out == "database postgres://127.0.0.1:\(server.port)/\(name) (PostgreSQL) is up to date")
        #expect(!(captured.out + captured.err).contains("hunter2"))
        let applied = try PostgresConnection(url).query("SELECT id FROM schema_migrations ORDER BY id") { try $0.string(0) }
        #expect(applied == AppContext.postgresMigrations.map(\.id).sorted())
        // Nothing of SQLite's is made on the way.
        #expect(!FileManager.default.fileExists(atPath: directory.file("billport.sqlite")))
    }

    @Test func anUnreachableDatabaseIsNamedWithoutItsPassword() async {
        let captured = CapturedConsole()
        let status = await BillportCLI.run(["migrate"], environment: ["BILLPORT_DATABASE_URL": "postgres://u:hunter2@127.0.0.1:1/nothing?connect_timeout=2"],
                                           console: captured.console)
        #expect(status == 1)
        #expect(captured.err.hasPrefix("billport: cannot connect to postgres://127.0.0.1:1/nothing"))
        #expect(!captured.err.contains("hunter2"))
    }

    @Test func copyDatabaseRefusesABadTargetURLAsAUsageError() async {
        let captured = CapturedConsole()
        let status = await BillportCLI.run(["copy-database", "--to", "mysql://u:hunter2@db/x"], environment: [:], console: captured.console)
        #expect(status == 64)
        #expect(captured.err.contains("--to must be a postgres:// or postgresql:// URL") && !captured.err.contains("hunter2"))
    }

    /// The demo installation on SQLite, copied and verified table by table, its API tokens' key
    /// with it.
    @Test
    func theDemoInstallationIsCopiedAndVerified() async throws {
        let url = try emptyDatabaseURL()
        let directory = TemporaryDirectory()
        let sqlite = ["BILLPORT_DATA_DIRECTORY": directory.path]
        let demo = CapturedConsole()
        #expect(await BillportCLI.run(["demo", "--json"], environment: sqlite, console: demo.console) == 0)
        let copy = CapturedConsole()
        let status = await BillportCLI.run(["copy-database", "--to", url], environment: sqlite, console: copy.console)
        #expect(status == 0, "\(copy.err) \(copy.out)")
        #expect(copy.out.contains("verified: every table matches") && !copy.out.contains("MISMATCH") && !copy.out.contains("hunter2"))
        #expect(copy.out.contains("secrets") && copy.out.contains("invoices"))
        let stored = try PostgresConnection(url).query("SELECT name FROM secrets ORDER BY name") { try $0.string(0) }
        // The demo sent no email, so only the API tokens' key had been generated.
        #expect(stored == ["jwt.key"])
    }
}

/// The SQLite-only scheduled backup, configured on PostgreSQL: dead at once with the reason.
@Suite(.enabled(if: PostgresServer.isAvailable, PostgresServer.missing))
struct PostgresBackupJobTests {
    @Test func theBackupJobIsDiscardedSayingWhatToUseInstead() async throws {
        let test = try TestDatabase(migrations: TestMigrations(sqlite: [], postgres: []), backend: .postgres)
        var handlers = JobHandlers()
        handlers.registerBackup(storage: .postgres(try #require(test.postgres)), settings: BackupSettings(directory: "/nonexistent"))
        let job = ClaimedJob(id: 1, kind: "backup.snapshot", queue: "default", payload: "{}", attempt: 1, maxAttempts: 20,
                             priority: 0, enqueuedAt: Date(), runAt: Date())
        let context = JobContext(job: job, logger: Logger(label: "test", handler: InMemoryLogHandler()), clock: SystemClock())
        await #expect(throws: JobError.discard("backup.snapshot is for SQLite; on PostgreSQL \(BackupCommands.postgresAdvice)")) {
            try await handlers.handler(for: "backup.snapshot")!.handle(context)
        }
    }
}
