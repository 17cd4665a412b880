import BillingStore
import Queue
import Relational
import TestSupport
import Testing

/// The PostgreSQL schema is the one the SQLite migrations end with: per table the same columns
/// in the same order with the same nullability, the same primary key, the same unique column
/// sets and the same named indexes with their uniqueness, so that one row reader serves both
/// and `copy-database` moves rows table by table without conversion.
@Suite(.enabled(if: TestBackend.selected == .postgres, "runs in the PostgreSQL pass (BILLPORT_TEST_BACKEND=postgres)"),
       .enabled(if: PostgresServer.isAvailable, PostgresServer.missing))
struct PostgresSchemaTests {
    /// Each module's migrations on both backends. A module joins the comparison by its line here
    /// once it has PostgreSQL migrations (`QueueSchema.postgresMigrations`, `SchedulerSchema.postgresMigrations`).
    static let modules: [(name: String, sqlite: [Migration], postgres: [Migration])] = [
        ("billing", BillingSchema.migrations, BillingSchema.postgresMigrations),
    ]

    @Test func everyTableHasTheColumnsKeysAndIndexesItHasOnSQLite() async throws {
        let migrations = TestMigrations(sqlite: Self.modules.flatMap(\.sqlite), postgres: Self.modules.flatMap(\.postgres))
        let sqlite = try TestDatabase(migrations: migrations, backend: .sqlite)
        let postgres = try TestDatabase(migrations: migrations, backend: .postgres)
        let expected = try await SchemaShape.read(sqlite.database)
        let actual = try await SchemaShape.read(postgres.database)
        #expect(expected.tables.count >= 31, "the billing tables at least")
        #expect(Set(actual.tables.keys) == Set(expected.tables.keys))
        for (name, table) in expected.tables.sorted(by: { $0.key < $1.key }) {
            guard let other = actual.tables[name] else { continue }
            #expect(other.columns == table.columns, "columns (name, nullable) of \(name)")
            #expect(other.primaryKey == table.primaryKey, "primary key of \(name)")
            #expect(other.uniqueColumnSets == table.uniqueColumnSets, "unique constraints of \(name)")
            #expect(other.indexes == table.indexes, "named indexes (name, unique) of \(name)")
        }
    }
}

/// What the comparison reads of a schema, from SQLite's pragmas or PostgreSQL's catalog.
struct SchemaShape {
    struct Table: Equatable {
        /// In declaration order; a primary key column counts as NOT NULL (SQLite's rowid alias says nullable).
        var columns: [Column] = []
        var primaryKey: [String] = []
        /// The column lists of UNIQUE constraints (SQLite's autoindexes, PostgreSQL's `_key` indexes).
        var uniqueColumnSets: Set<[String]> = []
        /// Indexes made by CREATE INDEX, by name.
        var indexes: [String: Bool] = [:]
    }

    struct Column: Equatable, CustomStringConvertible {
        let name: String
        let nullable: Bool
        var description: String { nullable ? name + "?" : name }
    }

    var tables: [String: Table] = [:]

    static func read(_ database: any SQLDatabase) async throws -> SchemaShape {
        try await database.read { db in db.dialect == .sqlite ? try sqlite(db) : try postgres(db) }
    }

    private static func sqlite(_ db: any SQLConnection) throws -> SchemaShape {
        var shape = SchemaShape()
        let names = try db.query("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'") { $0.string(0) }
        for name in names {
            var table = Table()
            let columns = try db.query("SELECT name, \"notnull\", pk FROM pragma_table_info(?) ORDER BY cid", name) {
                (name: $0.string(0), notNull: $0.bool(1), pk: $0.int(2))
            }
            table.columns = columns.map { Column(name: $0.name, nullable: !$0.notNull && $0.pk == 0) }
            table.primaryKey = columns.filter { $0.pk > 0 }.sorted { $0.pk < $1.pk }.map(\.name)
            let indexes = try db.query("SELECT name, \"unique\", origin FROM pragma_index_list(?)", name) {
                (name: $0.string(0), unique: $0.bool(1), origin: $0.string(2))
            }
            for index in indexes {
                switch index.origin {
                case "c": table.indexes[index.name] = index.unique
                case "u":
                    table.uniqueColumnSets.insert(try db.query("SELECT name FROM pragma_index_info(?) ORDER BY seqno", index.name) { $0.string(0) })
                default: break
                }
            }
            shape.tables[name] = table
        }
        return shape
    }

    private static func postgres(_ db: any SQLConnection) throws -> SchemaShape {
        var shape = SchemaShape()
        let columns = try db.query("""
            SELECT table_name, column_name, is_nullable = 'YES' FROM information_schema.columns
            WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position
            """) { (table: $0.string(0), column: Column(name: $0.string(1), nullable: $0.bool(2))) }
        for (table, column) in columns { shape.tables[table, default: Table()].columns.append(column) }
        // Every index of the schema's tables with its columns in order; `kind` is the constraint
        // it backs ('p' primary key, 'u' unique) or '' for CREATE INDEX.
        let indexes = try db.query("""
            SELECT t.relname, i.relname, x.indisunique, coalesce(c.contype::text, ''),
                (SELECT string_agg(a.attname, ',' ORDER BY k.n) FROM unnest(x.indkey) WITH ORDINALITY AS k (attnum, n)
                 JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum)
            FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
            LEFT JOIN pg_constraint c ON c.conindid = x.indexrelid AND c.contype IN ('p', 'u')
            WHERE t.relnamespace = current_schema()::regnamespace
            """) { (table: $0.string(0), name: $0.string(1), unique: $0.bool(2), kind: $0.string(3), columns: $0.string(4)) }
        for index in indexes {
            let columns = index.columns.split(separator: ",").map(String.init)
            switch index.kind {
            case "p": shape.tables[index.table, default: Table()].primaryKey = columns
            case "u": shape.tables[index.table, default: Table()].uniqueColumnSets.insert(columns)
            default: shape.tables[index.table, default: Table()].indexes[index.name] = index.unique
            }
        }
        return shape
    }
}
