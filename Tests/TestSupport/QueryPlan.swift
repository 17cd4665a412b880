import SQLite

/// `EXPLAIN QUERY PLAN` read back, to check that a query uses its indexes: on a table that grows
/// with a tenant's history, a full scan or a temporary B-tree (a sort of everything that matched)
/// makes the query cost grow with the history.
public enum QueryPlan {
    /// The plan's detail lines for `sql` (parameters left unbound: the plan does not need them).
    public static func details(of sql: String, in database: Database) throws -> [String] {
        try database.readBlocking { db in
            try db.query("EXPLAIN QUERY PLAN " + sql) { $0.string(3) }
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
