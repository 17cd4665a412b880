import SQLite

/// `EXPLAIN QUERY PLAN` read back, to check that a query uses its indexes: on a table that grows
/// with a tenant's history, a full scan or a temporary B-tree (a sort of everything that matched)
/// makes the query cost grow with the history.
public enum QueryPlan {
    /// The plan's detail lines for `sql`, its parameters bound to NULL: the plan does not depend
    /// on their values, but a statement must be given as many as it takes (found by trying).
    public static func details(of sql: String, in database: Database) throws -> [String] {
        try database.readBlocking { db in
            var nulls: [SQLValue] = []
            while true {
                do {
                    return try db.query("EXPLAIN QUERY PLAN " + sql, arguments: nulls) { $0.string(3) }
                } catch let error as SQLiteError where error.code == 25 && nulls.count < 999 {  // SQLITE_RANGE
                    nulls.append(.null)
                }
            }
        }
    }

    /// What is wrong with the plan of `sql`: each `SCAN` of a table in `growing` (with or without
    /// an index: a scan reads the whole table or index) and each temporary B-tree. Empty when
    /// every access to a growing table is a `SEARCH`.
    public static func problems(of sql: String, in database: Database, growing: Set<String>) throws -> [String] {
        try details(of: sql, in: database).filter { detail in
            if detail.contains("USE TEMP B-TREE") { return true }
            guard detail.hasPrefix("SCAN ") else { return false }
            let table = detail.dropFirst(5).prefix { $0 != " " }
            return growing.contains(String(table))
        }
    }
}
