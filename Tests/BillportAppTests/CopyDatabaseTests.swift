@testable import BillportApp
import Foundation
import PostgreSQL
import Relational
import SQLite
import TestSupport
import Testing

/// `copy-database` on a schema of its own that has what Billport's tables have: foreign keys
/// (to another table and to itself), identity and serial ids, text keys, NULLs, bytes, doubles,
/// and a table kept by a trigger (NUMERIC on PostgreSQL, as the customers' open items are).
@Suite(.enabled(if: PostgresServer.isAvailable, PostgresServer.missing), .postgresServer)
struct CopyDatabaseTests {
    let server = PostgresServer.current!

    static let sqlite = [Migration(id: "copytest.001", sql: """
        CREATE TABLE parents (id INTEGER PRIMARY KEY, name TEXT NOT NULL, logo BLOB, rate REAL, active INTEGER NOT NULL DEFAULT 1) STRICT;
        CREATE TABLE children (id INTEGER PRIMARY KEY, parent_id INTEGER NOT NULL REFERENCES parents(id),
                               previous_id INTEGER REFERENCES children(id), note TEXT) STRICT;
        CREATE TABLE labels (code TEXT PRIMARY KEY, child_id INTEGER REFERENCES children(id)) STRICT, WITHOUT ROWID;
        CREATE TABLE parent_totals (parent_id INTEGER PRIMARY KEY, children INTEGER NOT NULL) STRICT;
        CREATE TRIGGER children_count AFTER INSERT ON children BEGIN
            INSERT INTO parent_totals (parent_id, children) VALUES (NEW.parent_id, 1)
            ON CONFLICT (parent_id) DO UPDATE SET children = children + 1;
        END;
        """)]
    static let postgres = [Migration(id: "copytest.pg001", sql: """
        CREATE TABLE parents (id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name TEXT NOT NULL, logo BYTEA, rate DOUBLE PRECISION,
                              active BIGINT NOT NULL DEFAULT 1);
        CREATE TABLE children (id BIGSERIAL PRIMARY KEY, parent_id BIGINT NOT NULL REFERENCES parents(id),
                               previous_id BIGINT REFERENCES children(id), note TEXT);
        CREATE TABLE labels (code TEXT PRIMARY KEY, child_id BIGINT REFERENCES children(id));
        CREATE TABLE parent_totals (parent_id BIGINT PRIMARY KEY, children NUMERIC NOT NULL);
        CREATE FUNCTION children_count() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            INSERT INTO parent_totals (parent_id, children) VALUES (NEW.parent_id, 1)
            ON CONFLICT (parent_id) DO UPDATE SET children = parent_totals.children + 1;
            RETURN NEW;
        END $$;
        CREATE TRIGGER children_count AFTER INSERT ON children FOR EACH ROW EXECUTE FUNCTION children_count();
        """)]

    /// A new, empty database on the suite's server, migrated with the test schema.
    func emptyTarget() throws -> PostgresDatabase {
        let name = "copy_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        try PostgresConnection(server.connectionString).execute("CREATE DATABASE \(name)")
        let target = try PostgresDatabase("postgres://postgres@127.0.0.1:\(server.port)/\(name)", maximumConnections: 2)
        try Migrator.migrate(target, migrations: Self.postgres)
        return target
    }

    /// 1,200 parents (some with NULLs, bytes with a zero byte, doubles), a chain of children each
    /// pointing at the one before, and labels whose text keys sort differently by locale.
    func source() throws -> TemporaryDatabase {
        let source = try TemporaryDatabase(migrations: Self.sqlite)
        try source.database.writeBlocking { db in
            for id in 1...1200 {
                try db.execute("INSERT INTO parents (id, name, logo, rate, active) VALUES (?, ?, ?, ?, ?)", id * 3, "Zoë \(id) «ü» '\"",
                               id % 7 == 0 ? nil : [UInt8(id % 256), 0, 255], id % 5 == 0 ? nil : Double(id) / 10, id % 2)
            }
            for id in 1...300 {
                try db.execute("INSERT INTO children (id, parent_id, previous_id, note) VALUES (?, ?, ?, ?)", id, id * 3, id == 1 ? nil : id - 1,
                               id % 3 == 0 ? nil : "note \(id)")
            }
            for code in ["b", "B", "a", "ä", "Z", "_x", "a b"] {
                try db.execute("INSERT INTO labels (code, child_id) VALUES (?, ?)", code, 7)
            }
        }
        return source
    }

    @Test func copiesEveryTableInForeignKeyOrderAndVerifiesIt() throws {
        let source = try source()
        let target = try emptyTarget()
        let report = try DatabaseCopy(source: source.database, target: target, batchRows: 100).run()
        #expect(report.ok)
        #expect(report.tables.map(\.name) == ["parent_totals", "parents", "children", "labels"])
        // The trigger-kept counts are the source's, not made again by the target's trigger.
        #expect(report.tables.map(\.target.rows) == [300, 1200, 300, 7])
        #expect(report.lines.first == "TABLE          ROWS  CHECKSUM          OK")
        #expect(report.lines.dropFirst().allSatisfy { $0.hasSuffix("  ok") })
        // The copy keeps NULLs, bytes and doubles as they were.
        let parent = try target.readBlocking { db in
            try db.queryOne("SELECT name, logo, rate FROM parents WHERE id = 21") { ($0.string(0), $0.optionalString(1) == nil, $0.double(2)) }
        }
        #expect(parent?.0 == "Zoë 7 «ü» '\"" && parent?.1 == true && parent?.2 == 0.7)
        // Each id sequence continues past the largest copied id.
        let next = try target.writeBlocking { db in
            (try db.insert("INSERT INTO parents (name) VALUES ('new')"), try db.insert("INSERT INTO children (parent_id) VALUES (3)"))
        }
        #expect(next.0 == 3601 && next.1 == 301)
        // And the target's trigger is on again.
        let counted = try target.readBlocking { db in try db.queryOne("SELECT children FROM parent_totals WHERE parent_id = 3") { $0.int(0) } }
        #expect(counted == 2)
    }

    @Test func refusesATargetThatHasRowsNamingTheTable() throws {
        let source = try source()
        let target = try emptyTarget()
        try target.writeBlocking { db in try db.execute("INSERT INTO labels (code) VALUES ('already here')") }
        #expect {
            try DatabaseCopy(source: source.database, target: target).run()
        } throws: { error in
            "\(error)" == "the target database is not empty (rows in labels); copy-database copies into an empty database only"
        }
        let parents = try target.readBlocking { db in try db.queryOne("SELECT COUNT(*) FROM parents") { $0.int(0) } }
        #expect(parents == 0)
    }

    @Test func aRowChangedInTheTargetFailsVerificationForItsTableOnly() throws {
        let source = try source()
        let target = try emptyTarget()
        let report = try DatabaseCopy(source: source.database, target: target, beforeVerify: {
            try target.writeBlocking { db in try db.execute("UPDATE children SET note = 'tampered' WHERE id = 299") }
        }).run()
        #expect(!report.ok)
        #expect(report.tables.filter { !$0.ok }.map(\.name) == ["children"])
        let line = try #require(report.lines.first { $0.hasPrefix("children") })
        #expect(line.contains("300 -> 300") && line.hasSuffix("MISMATCH"))
    }

    @Test func aTargetWithoutTheSourcesTableIsRefusedBeforeAnythingIsWritten() throws {
        let source = try source()
        try source.database.writeBlocking { db in try db.execute("CREATE TABLE extra (id INTEGER PRIMARY KEY) STRICT") }
        let target = try emptyTarget()
        #expect {
            try DatabaseCopy(source: source.database, target: target).run()
        } throws: { error in
            "\(error)".hasPrefix("the target has no table extra")
        }
    }
    @Test func theGeneratedKeysTravelWithTheCopySoTokensStayValid() throws {
        let data = TemporaryDirectory()
        let jwt = try Secrets.generated(name: "jwt.key", in: .directory(data.path))
        let unsubscribe = try Secrets.generated(name: "unsubscribe.key", in: .directory(data.path))
        let source = try TemporaryDatabase(migrations: AppSchema.migrations)
        try CopyDatabaseCommand.recordGeneratedSecrets(in: source.database, dataDirectory: data.path, now: Date())
        let name = "copy_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        try PostgresConnection(server.connectionString).execute("CREATE DATABASE \(name)")
        let target = try PostgresDatabase("postgres://postgres@127.0.0.1:\(server.port)/\(name)", maximumConnections: 2)
        try Migrator.migrate(target, migrations: AppSchema.postgresMigrations)
        let report = try DatabaseCopy(source: source.database, target: target).run()
        #expect(report.ok && report.tables.map(\.name) == ["secrets"] && report.rows == 2)
        // Every host on PostgreSQL now signs with the key the SQLite host generated.
        #expect(try Secrets.generated(name: "jwt.key", in: .database(target)) == jwt)
        #expect(try Secrets.generated(name: "unsubscribe.key", in: .database(target)) == unsubscribe)
    }
}
