import Foundation
import PostgreSQL
import Relational
import SQLite
import Synchronization
import Testing

/// The database a test suite runs on. `make test` runs the suites that touch a store twice:
/// once on SQLite (the default) and once with `BILLPORT_TEST_BACKEND=postgres`.
public enum TestBackend: String, Sendable, CaseIterable {
    case sqlite
    case postgres

    /// What `BILLPORT_TEST_BACKEND` asks for; SQLite when unset.
    public static var selected: TestBackend {
        ProcessInfo.processInfo.environment["BILLPORT_TEST_BACKEND"].flatMap(TestBackend.init(rawValue:)) ?? .sqlite
    }
}

/// The migrations of a test database, in both dialects.
public struct TestMigrations: Sendable {
    public let sqlite: [Migration]
    public let postgres: [Migration]

    public init(sqlite: [Migration], postgres: [Migration]) {
        self.sqlite = sqlite
        self.postgres = postgres
    }

    public func callAsFunction(_ dialect: SQLDialect) -> [Migration] { dialect == .sqlite ? sqlite : postgres }
}

/// A fresh, migrated database for one test: a SQLite file in a temporary directory, or a new
/// database on the test process's one PostgreSQL server (copied from a migrated template, and
/// dropped when this value goes).
public final class TestDatabase: Sendable {
    /// The open database.
    public let database: any SQLDatabase
    /// Keeps the SQLite file's directory alive as long as the database.
    private let directory: TemporaryDirectory?
    private let postgresName: String?

    public init(migrations: TestMigrations, backend: TestBackend = .selected) throws {
        switch backend {
        case .sqlite:
            let directory = TemporaryDirectory()
            let database = try Database(path: directory.file("billport.sqlite"))
            try Migrator.migrate(database, migrations: migrations.sqlite)
            self.directory = directory
            self.database = database
            postgresName = nil
        case .postgres:
            let server = try SharedPostgres.server()
            let name = try SharedPostgres.createDatabase(migrations: migrations.postgres)
            database = try PostgresDatabase(server.connectionString(database: name), maximumConnections: 3)
            directory = nil
            postgresName = name
        }
    }

    deinit {
        if let postgresName { SharedPostgres.dropDatabase(postgresName) }
    }

    /// The SQLite database, when this is one.
    public var sqlite: Database? { database as? Database }

    /// The PostgreSQL database, when this is one.
    public var postgres: PostgresDatabase? { database as? PostgresDatabase }

    /// How another process reaches the PostgreSQL database (nil on SQLite).
    public var connectionString: String? { postgres?.connectionString }

    /// The SQLite file's path (nil on PostgreSQL).
    public var path: String? { sqlite?.path }
}

/// The test process's one PostgreSQL server, started on first use and stopped at exit, with a
/// migrated template database per migration set.
enum SharedPostgres {
    private static let state = Mutex<(server: PostgresServer?, templates: [String: String], counter: Int)>((nil, [:], 0))

    static func server() throws -> PostgresServer {
        try state.withLock { state in
            if let server = state.server { return server }
            let server = try PostgresServer(maxConnections: 1000)
            state.server = server
            atexit { SharedPostgres.stopAtExit() }
            return server
        }
    }

    /// A new database holding `migrations`, copied from a template migrated once. Only the
    /// template is made under the lock: tests copy it side by side.
    static func createDatabase(migrations: [Migration]) throws -> String {
        let server = try server()
        let key = migrations.map(\.id).joined(separator: ",")
        let (template, name) = try state.withLock { state in
            let template: String
            if let known = state.templates[key] {
                template = known
            } else {
                template = "template_\(state.templates.count)"
                let admin = try PostgresConnection(server.connectionString)
                try admin.execute("CREATE DATABASE \(template)")
                let database = try PostgresDatabase(server.connectionString(database: template), maximumConnections: 1)
                try Migrator.migrate(database, migrations: migrations)
                state.templates[key] = template
            }
            state.counter += 1
            return (template, "test_\(state.counter)")
        }
        try PostgresConnection(server.connectionString).execute("CREATE DATABASE \(name) TEMPLATE \(template)")
        return name
    }

    static func dropDatabase(_ name: String) {
        guard let server = state.withLock({ $0.server }) else { return }
        _ = try? PostgresConnection(server.connectionString).execute("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
    }

    private static func stopAtExit() {
        state.withLock { $0.server?.stop() }
    }
}
