import Relational
import SQLite

/// `EXPLAIN QUERY PLAN` read back, to check that a query uses its indexes: on a table that grows
/// with a tenant's history, a full scan or a temporary B-tree (a sort of everything that matched)
/// makes the query cost grow with the history.
public enum QueryPlan {
    /// The plan's detail lines for `sql` (parameters bound to NULL: the plan does not need them).
    public static func details(of sql: String, in database: Database) throws -> [String] {
        let nulls = [String?](repeating: nil, count: parameterCount(of: sql))
        return try database.readBlocking { db in
            try db.query("EXPLAIN QUERY PLAN " + sql, arguments: nulls) { $0.string(3) }
        }
    }

    /// How many values `sql` takes, as SQLite counts them: the largest `?NNN`, each bare `?`
    /// one more than the one before it; question marks inside string literals are text.
    static func parameterCount(of sql: String) -> Int {
        var (count, last, inLiteral) = (0, 0, false)
        var characters = sql[...]
        while let character = characters.popFirst() {
            if character == "'" { inLiteral.toggle() }
            guard character == "?", !inLiteral else { continue }
            let digits = characters.prefix { $0.isASCII && $0.isNumber }
            characters = characters.dropFirst(digits.count)
            last = Int(digits) ?? last + 1
            count = max(count, last)
        }
        return count
    }

    /// What is wrong with the plan of `sql`: each `SCAN` of a table in `growing` (with or without
    /// an index: a scan reads the whole table or index) and each temporary B-tree. Empty when
    /// every access to a growing table is a `SEARCH`. An `INSERT … VALUES … RETURNING` reads no
    /// table: SQLite then lists the foreign-key look-ups a REPLACE of the row would make, which a
    /// plain insert never runs, so its plan is not examined.
    public static func problems(of sql: String, in database: Database, growing: Set<String>) throws -> [String] {
        let words = sql.uppercased().split(whereSeparator: \.isWhitespace)
        if words.first == "INSERT", words.contains("VALUES"), words.contains("RETURNING"), !words.contains("SELECT") { return [] }
        return try details(of: sql, in: database).filter { detail in
            if detail.contains("USE TEMP B-TREE") { return true }
            guard detail.hasPrefix("SCAN ") else { return false }
            let table = detail.dropFirst(5).prefix { $0 != " " }
            return growing.contains(String(table))
        }
    }
}
