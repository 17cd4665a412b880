@testable import BillportApp
import Foundation
import TestSupport
import Testing

/// `database.url`, `database.maxConnections` and the libpq variables: which backend Billport
/// runs on, and that a URL's password never shows.
@Suite struct DatabaseSelectionTests {
    func load(_ file: String? = nil, _ environment: [String: String] = [:]) throws -> BillportConfiguration {
        try BillportConfiguration.load(fileText: file, fileName: "test.json", environment: environment)
    }

    func error(_ environment: [String: String]) -> String {
        do {
            _ = try load(nil, environment)
            return "no error"
        } catch {
            return "\(error)"
        }
    }

    @Test func withoutAURLBillportStaysOnItsSQLiteFile() throws {
        #expect(try load().databaseSelection == .sqlite(path: "data/billport.sqlite"))
        #expect(try load(#"{"database": {"path": "/srv/b.sqlite"}}"#).databaseSelection == .sqlite(path: "/srv/b.sqlite"))
    }

    @Test func aPostgresURLSelectsPostgreSQLAndShowsNoCredentials() throws {
        let selection = try load(nil, ["BILLPORT_DATABASE_URL": "postgresql://billport:s3cr%40t@db.internal:6432/billing?sslmode=verify-full&application_name=billport-api",
                                       "BILLPORT_DATABASE_MAX_CONNECTIONS": "25"]).databaseSelection
        let target = try #require(selection.postgres)
        #expect(target.host == "db.internal" && target.port == 6432 && target.databaseName == "billing")
        #expect(target.maximumConnections == 25 && target.hasPassword)
        #expect("\(selection)" == "PostgreSQL postgres://db.internal:6432/billing")
        #expect(!"\(selection)".contains("billport:") && !"\(selection)".contains("s3cr"))
        let socket = try #require(try load(#"{"database": {"url": "postgres:///billport?host=/var/run/postgresql"}}"#).databaseSelection.postgres)
        #expect("\(socket)" == "postgres:///var/run/postgresql/billport" && !socket.hasPassword && socket.maximumConnections == 10)
    }

    @Test func libpqVariablesSelectPostgreSQLOnlyWhenNoDatabaseIsNamed() throws {
        let target = try #require(try load(nil, ["PGHOST": "db.internal", "PGPORT": "5433", "PGDATABASE": "billport"]).databaseSelection.postgres)
        #expect(target.connectionString == "" && "\(target)" == "postgres://db.internal:5433/billport")
        #expect(try load(nil, ["PGSERVICE": "billport"]).databaseSelection.postgres != nil)
        // A configured SQLite path is a choice: a psql user's PGHOST does not move Billport.
        #expect(try load(nil, ["PGHOST": "db.internal", "BILLPORT_DATABASE_PATH": "/srv/b.sqlite"]).databaseSelection == .sqlite(path: "/srv/b.sqlite"))
        #expect(try load(nil, ["PGPASSWORD": "x", "PGUSER": "u"]).databaseSelection == .sqlite(path: "data/billport.sqlite"))
    }

    @Test func badURLsAreRefusedNamingTheKeyButNeverTheirPassword() {
        let refused = [
            "mysql://u:hunter2@db/billport": "must be a postgres:// or postgresql:// URL",
            "postgres://u:hunter2@db:0/billport": "has port 0",
            "postgres://u:hunter2@db:70000/billport": "must be from 1 to 65535",
            "postgres://u:hunter2@db/billport?options=-c%20search_path%3Dx": "has the parameter \"options\"",
            "postgres://u:hunter2@db/billport?sslmode=maybe": "has sslmode=maybe",
            "postgres://u:hunter2@db/billport?connect_timeout=0": "has connect_timeout=0",
            "postgres://u:hunter2@db/billport?sslmode=require&sslmode=disable": "repeats the parameter \"sslmode\"",
            "postgres://u:hunter2@db/a/b": "must name at most one database",
            "postgres://u:hunter2@db/billport#x": "must not have a #fragment",
            "postgres://u:hunter2@db/billport?sslrootcert=relative.pem": "must be an absolute path",
            "postgres://u:hunter2 @db/billport": "is not a valid URL",
            "postgres://u:hunter2@db/" + String(repeating: "x", count: 3000): "is longer than 2048 bytes",
        ]
        for (url, reason) in refused {
            let message = error(["BILLPORT_DATABASE_URL": url])
            #expect(message.hasPrefix("config database.url: ") && message.contains(reason) && message.hasSuffix("(from BILLPORT_DATABASE_URL)"), "\(url): \(message)")
            #expect(!message.contains("hunter2"))
        }
        #expect(error(["BILLPORT_DATABASE_MAX_CONNECTIONS": "0"]).hasPrefix("config database.maxConnections: must be a whole number from 1 to 200"))
        #expect(error(["BILLPORT_DATABASE_MAX_CONNECTIONS": "201"]).hasPrefix("config database.maxConnections:"))
    }

    @Test func aConfigFileWithAPasswordInItsURLMustBePrivate() throws {
        let directory = TemporaryDirectory()
        let file = directory.file("billport.json")
        try #"{"database": {"url": "postgres://billport:hunter2@db.internal/billport"}}"#.write(toFile: file, atomically: true, encoding: .utf8)
        chmod(file, 0o644)
        #expect(throws: ConfigError.self) { try BillportCLI.loadConfiguration(file, environment: [:]) }
        do {
            _ = try BillportCLI.loadConfiguration(file, environment: [:])
        } catch {
            #expect("\(error)".contains("holds a password but the file is readable by group or others (mode 644)") && !"\(error)".contains("hunter2"))
        }
        chmod(file, 0o600)
        #expect(try BillportCLI.loadConfiguration(file, environment: [:]).databaseSelection.postgres?.hasPassword == true)
        // Without a password in it, the URL may sit in a shared file (the password in ~/.pgpass).
        try #"{"database": {"url": "postgres://billport@db.internal/billport"}}"#.write(toFile: file, atomically: true, encoding: .utf8)
        chmod(file, 0o644)
        #expect(try BillportCLI.loadConfiguration(file, environment: [:]).databaseSelection.postgres != nil)
    }

    @Test func sqliteOnlyCommandsSayWhatToUseOnPostgreSQL() async {
        for command in [["backup", "/tmp/never.sqlite"], ["restore", "/tmp/never.sqlite"]] {
            let captured = CapturedConsole()
            let status = await BillportCLI.run(command, environment: ["BILLPORT_DATABASE_URL": "postgres://u:hunter2@127.0.0.1:1/billport"],
                                               console: captured.console)
            #expect(status == 1)
            #expect(captured.err.contains("billport \(command[0]) is for SQLite") && captured.err.contains("pg_dump"))
            #expect(!captured.err.contains("hunter2"))
        }
    }
}
