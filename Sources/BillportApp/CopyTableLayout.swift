import Relational

/// How a column's values are read and written on both sides of `copy-database`: by the
/// PostgreSQL column's type, which is the narrower of the two.
enum CopyColumnKind: Sendable, Equatable {
    case integer, real, text, blob
    /// A whole number that may have outgrown 64 bits (a sum kept by a trigger): an integer
    /// while it fits, else a double (SQLite then holds a REAL).
    case numeric

    /// The kind for a PostgreSQL `information_schema.columns.data_type`, nil when Billport's
    /// schemas never use it (then the copy refuses rather than guess).
    init?(postgresType: String) {
        switch postgresType {
        case "bigint", "integer", "smallint": self = .integer
        case "numeric": self = .numeric
        case "double precision", "real": self = .real
        case "text", "character varying", "character": self = .text
        case "bytea": self = .blob
        default: return nil
        }
    }
}

/// One table to copy: its columns in the source's order with their kinds, and the columns that
/// order its rows (the primary key, else every column).
struct CopyTable: Sendable, Equatable {
    let name: String
    let columns: [String]
    let kinds: [CopyColumnKind]
    let orderBy: [String]
}

/// Reading the table layout of both sides and putting tables in foreign-key order.
enum CopyTableLayout {
    /// Tables neither copied nor compared: each side's own migration record.
    static let skipped: Set<String> = ["schema_migrations"]

    /// A name Billport's schemas use (lower case, digits, `_`); anything else is refused before
    /// it is put into SQL.
    static func isPlainName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= 63
            && name.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
    }

    /// `"name"`: a checked name quoted for SQL.
    static func quoted(_ name: String) -> String { "\"\(name)\"" }

    /// Tables so that every table comes after the tables it references; a table that references
    /// itself stays in place (its rows are inserted in key order). Fails on a cycle between tables.
    static func foreignKeyOrder(_ references: [String: Set<String>]) throws -> [String] {
        var ordered: [String] = []
        var placed: Set<String> = []
        var remaining = references.keys.sorted()
        while !remaining.isEmpty {
            let ready = remaining.filter { table in (references[table] ?? []).allSatisfy { $0 == table || placed.contains($0) || references[$0] == nil } }
            guard !ready.isEmpty else {
                throw CopyFailure("the tables \(remaining.joined(separator: ", ")) reference each other in a cycle; copy-database cannot order them")
            }
            ordered += ready
            placed.formUnion(ready)
            remaining.removeAll { placed.contains($0) }
        }
        return ordered
    }

    /// The source's tables (SQLite) and what each references.
    static func sourceTables(_ db: any SQLConnection) throws -> [String: Set<String>] {
        let names = try db.query("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name") { $0.string(0) }
            .filter { !skipped.contains($0) }
        var references: [String: Set<String>] = [:]
        for name in names {
            guard isPlainName(name) else { throw CopyFailure("the source has a table named \(String(reflecting: name)), which is not one of Billport's") }
            references[name] = Set(try db.query("SELECT \"table\" FROM pragma_foreign_key_list(?)", name) { $0.string(0) })
        }
        return references
    }

    /// The source's layout of `table`: its columns and primary key (SQLite).
    static func sourceColumns(_ db: any SQLConnection, table: String) throws -> (columns: [String], key: [String]) {
        let rows = try db.query("SELECT name, pk FROM pragma_table_info(?) ORDER BY cid", table) { ($0.string(0), $0.int(1)) }
        for (column, _) in rows where !isPlainName(column) {
            throw CopyFailure("the source's table \(table) has a column named \(String(reflecting: column)), which is not one of Billport's")
        }
        return (rows.map(\.0), rows.filter { $0.1 > 0 }.sorted { $0.1 < $1.1 }.map(\.0))
    }

    /// The target's column types of `table` (PostgreSQL), empty when it has no such table.
    static func targetColumns(_ db: any SQLConnection, table: String) throws -> [String: String] {
        let rows = try db.query("""
            SELECT column_name, data_type FROM information_schema.columns
            WHERE table_schema = current_schema() AND table_name = ?
            """, table) { ($0.string(0), $0.string(1)) }
        return Dictionary(rows, uniquingKeysWith: { first, _ in first })
    }

    /// The target's tables (PostgreSQL), for the check that it is empty.
    static func targetTables(_ db: any SQLConnection) throws -> [String] {
        try db.query("""
            SELECT table_name FROM information_schema.tables
            WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name
            """) { $0.string(0) }.filter { !skipped.contains($0) }
    }

    /// The copy plan for one table: the source's columns, typed by the target's; fails naming
    /// what the target lacks or has in addition.
    static func plan(table: String, source: (columns: [String], key: [String]), target: [String: String]) throws -> CopyTable {
        guard !target.isEmpty else {
            throw CopyFailure("the target has no table \(table): its schema is not Billport's (or this build has no PostgreSQL schema for it)")
        }
        let missing = source.columns.filter { target[$0] == nil }
        let extra = Set(target.keys).subtracting(source.columns).sorted()
        guard missing.isEmpty, extra.isEmpty else {
            throw CopyFailure("the table \(table) differs between source and target (only in the source: \(missing.joined(separator: ", ")); only in the target: \(extra.joined(separator: ", ")))")
        }
        let kinds = try source.columns.map { column in
            guard let kind = CopyColumnKind(postgresType: target[column]!) else {
                throw CopyFailure("the target's column \(table).\(column) has the type \(target[column]!), which copy-database does not copy")
            }
            return kind
        }
        return CopyTable(name: table, columns: source.columns, kinds: kinds, orderBy: source.key.isEmpty ? source.columns : source.key)
    }
}

/// Why `copy-database` stopped before or while copying.
struct CopyFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
