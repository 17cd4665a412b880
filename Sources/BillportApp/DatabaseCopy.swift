import Foundation
import Relational

/// Copies every table of a SQLite installation into an empty PostgreSQL database that already
/// has the same schema, then verifies each table by row count and checksum.
///
/// The source is read in one read transaction from start to verification, so a live SQLite
/// file is copied as of one commit (later writes are not copied) and verified against that same
/// snapshot. The target is written in ONE transaction for all tables: a copy that fails leaves
/// the target as empty as it was, and can simply be run again. Tables go in foreign-key order,
/// rows in key order, in multi-row INSERTs of at most `batchRows` rows (and 30,000 parameters).
struct DatabaseCopy {
    let source: any SQLDatabase
    let target: any SQLDatabase
    var batchRows = 500
    /// Runs between the copy's commit and the verification (tests alter the target here).
    var beforeVerify: (() throws -> Void)?

    /// PostgreSQL allows 65,535 parameters per statement; this stays well below.
    static let maximumParameters = 30_000

    init(source: any SQLDatabase, target: any SQLDatabase, batchRows: Int = 500, beforeVerify: (() throws -> Void)? = nil) {
        self.source = source
        self.target = target
        self.batchRows = max(1, min(batchRows, 10_000))
        self.beforeVerify = beforeVerify
    }

    func run() throws -> CopyReport {
        try source.readBlocking { src in
            let order = try CopyTableLayout.foreignKeyOrder(CopyTableLayout.sourceTables(src))
            let tables = try target.readBlocking { dst in
                try order.map { name in
                    try CopyTableLayout.plan(table: name, source: CopyTableLayout.sourceColumns(src, table: name),
                                             target: CopyTableLayout.targetColumns(dst, table: name))
                }
            }
            let copied = try target.writeBlocking { dst -> [TableChecksum] in
                try refuseNonEmpty(dst)
                try setTriggers(dst, enabled: false)
                let sums = try tables.map { try copy($0, from: src, to: dst) }
                try advanceSequences(dst)
                try setTriggers(dst, enabled: true)
                return sums
            }
            try beforeVerify?()
            let found = try target.readBlocking { dst in try tables.map { try checksum($0, dst) } }
            return CopyReport(tables: zip(tables, zip(copied, found)).map { CopyReport.Table(name: $0.name, source: $1.0, target: $1.1) })
        }
    }

    /// Refuses a target where any table has a row, naming them.
    private func refuseNonEmpty(_ dst: any SQLConnection) throws {
        let filled = try CopyTableLayout.targetTables(dst).filter { table in
            guard CopyTableLayout.isPlainName(table) else { return true }
            return try dst.queryOne("SELECT 1 FROM \(CopyTableLayout.quoted(table)) LIMIT 1") { _ in true } ?? false
        }
        guard filled.isEmpty else {
            throw CopyFailure("the target database is not empty (rows in \(filled.joined(separator: ", "))); copy-database copies into an empty database only")
        }
    }

    /// Turns the target's own triggers off for the copy and on again, inside its transaction
    /// (no other session ever sees them off): the rows that triggers keep (a customer's open
    /// items) are copied as the source's triggers kept them, not made a second time. Foreign
    /// keys stay checked. Needs the tables' owner, as migrations do.
    private func setTriggers(_ dst: any SQLConnection, enabled: Bool) throws {
        guard dst.dialect == .postgres else { return }
        for table in try CopyTableLayout.targetTables(dst) where CopyTableLayout.isPlainName(table) {
            try dst.execute("ALTER TABLE \(CopyTableLayout.quoted(table)) \(enabled ? "ENABLE" : "DISABLE") TRIGGER USER")
        }
    }

    /// Streams `table`'s rows from the source into the target; the checksum of what it wrote.
    private func copy(_ table: CopyTable, from src: any SQLConnection, to dst: any SQLConnection) throws -> TableChecksum {
        let perStatement = max(1, min(batchRows, Self.maximumParameters / max(1, table.columns.count)))
        var checksum = TableChecksum()
        var batch: [[SQLValue]] = []
        func flush() throws {
            guard !batch.isEmpty else { return }
            let row = "(" + Array(repeating: "?", count: table.columns.count).joined(separator: ", ") + ")"
            // The copied ids are kept, also in a GENERATED ALWAYS identity column.
            let overriding = dst.dialect == .postgres ? " OVERRIDING SYSTEM VALUE" : ""
            try dst.execute("INSERT INTO \(CopyTableLayout.quoted(table.name)) (\(table.columns.map(CopyTableLayout.quoted).joined(separator: ", ")))\(overriding) VALUES "
                            + Array(repeating: row, count: batch.count).joined(separator: ", "),
                            arguments: batch.flatMap { $0 })
            batch.removeAll(keepingCapacity: true)
        }
        _ = try src.query(select(table, dialect: .sqlite)) { row in
            let values = row.values(table.kinds)
            checksum.add(values)
            batch.append(values)
            if batch.count == perStatement { try flush() }
        }
        try flush()
        return checksum
    }

    /// Sets every identity or serial sequence of the target past its column's largest value, so
    /// the next insert takes a fresh id.
    private func advanceSequences(_ dst: any SQLConnection) throws {
        let sequences = try dst.query("""
            SELECT table_name, column_name FROM information_schema.columns
            WHERE table_schema = current_schema() AND pg_get_serial_sequence(quote_ident(table_name), column_name) IS NOT NULL
            ORDER BY table_name, column_name
            """) { ($0.string(0), $0.string(1)) }
        for (table, column) in sequences where CopyTableLayout.isPlainName(table) && CopyTableLayout.isPlainName(column) {
            _ = try dst.queryOne("""
                SELECT setval(pg_get_serial_sequence(?, ?), COALESCE(MAX(\(CopyTableLayout.quoted(column))), 0) + 1, false)
                FROM \(CopyTableLayout.quoted(table))
                """, table, column) { $0.int64(0) }
        }
    }

    /// The checksum of `table` as the target holds it.
    private func checksum(_ table: CopyTable, _ dst: any SQLConnection) throws -> TableChecksum {
        var checksum = TableChecksum()
        _ = try dst.query(select(table, dialect: .postgres)) { row in checksum.add(row.values(table.kinds)) }
        return checksum
    }

    /// Every row of `table` in key order; text keys in byte order on both sides (SQLite's
    /// BINARY collation, PostgreSQL's "C"), whatever the target database's locale.
    private func select(_ table: CopyTable, dialect: SQLDialect) -> String {
        let order = table.orderBy.map { column in
            let kind = table.kinds[table.columns.firstIndex(of: column)!]
            return CopyTableLayout.quoted(column) + (dialect == .postgres && kind == .text ? " COLLATE \"C\"" : "")
        }
        return "SELECT \(table.columns.map(CopyTableLayout.quoted).joined(separator: ", ")) FROM \(CopyTableLayout.quoted(table.name)) ORDER BY \(order.joined(separator: ", "))"
    }
}

/// What `copy-database` found: per table, the rows and checksum read from the source and
/// from the target after the copy.
struct CopyReport {
    struct Table {
        let name: String
        let source: TableChecksum
        let target: TableChecksum
        var ok: Bool { source == target }
    }

    let tables: [Table]
    var ok: Bool { tables.allSatisfy(\.ok) }
    var rows: Int { tables.reduce(0) { $0 + $1.source.rows } }

    /// `TABLE  ROWS  CHECKSUM  OK`, with both sides' figures where they differ.
    var lines: [String] {
        var table = TextTable(header: ["TABLE", "ROWS", "CHECKSUM", "OK"])
        for entry in tables {
            table.rows.append(entry.ok
                ? [entry.name, "\(entry.source.rows)", entry.source.shortHex, "ok"]
                : [entry.name, "\(entry.source.rows) -> \(entry.target.rows)", "\(entry.source.shortHex) -> \(entry.target.shortHex)", "MISMATCH"])
        }
        return table.rendered
    }
}
