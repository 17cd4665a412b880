import Relational

/// The wiring module's own tables: the secrets every host of a PostgreSQL installation shares.
/// On SQLite the table exists (so that `copy-database` finds the same schema on both sides) but
/// the keys stay in `<dataDirectory>/secrets/`, as before.
enum AppSchema {
    static let migrations = [Migration(id: "app.001_secrets", sql: secretsTable(integer: "INTEGER", options: " STRICT"))]

    static let postgresMigrations = [Migration(id: "app.pg001_secrets", sql: secretsTable(integer: "BIGINT", options: ""))]

    /// One table in either dialect: a key's name, its text, when it was generated (ms since 1970).
    private static func secretsTable(integer: String, options: String) -> String {
        """
        CREATE TABLE secrets (
            name TEXT PRIMARY KEY,
            value TEXT NOT NULL,
            created_at \(integer) NOT NULL
        )\(options)
        """
    }
}
