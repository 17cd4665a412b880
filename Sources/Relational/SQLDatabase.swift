/// A database Billport's stores run on: transactions whose closures run off Swift's cooperative
/// threads (the backends block), each given an `SQLConnection`. SQLite (`SQLite.Database`) and
/// PostgreSQL (`PostgreSQL.PostgresDatabase`) implement it.
public protocol SQLDatabase: Sendable {
    /// The SQL the connections speak.
    var dialect: SQLDialect { get }

    /// Runs `body` in a write transaction: committed when it returns, rolled back when it throws.
    /// Transactions of one database behave as if they ran one after the other (SQLite has one
    /// writer; PostgreSQL runs them SERIALIZABLE and runs `body` again after a serialization
    /// failure), so `body` must do nothing it cannot do twice but database work.
    func write<T: Sendable>(_ body: @escaping @Sendable (any SQLConnection) throws -> T) async throws -> T

    /// Runs `body` in a read-only transaction on a consistent snapshot.
    func read<T: Sendable>(_ body: @escaping @Sendable (any SQLConnection) throws -> T) async throws -> T

    /// Runs `body`, a single statement, without an explicit transaction (a hot point lookup).
    func readStatement<T: Sendable>(_ body: @escaping @Sendable (any SQLConnection) throws -> T) async throws -> T

    /// `write` for callers that are not async (the CLI, start-up): blocks the calling thread.
    func writeBlocking<T>(_ body: (any SQLConnection) throws -> T) throws -> T

    /// `read` for callers that are not async: blocks the calling thread.
    func readBlocking<T>(_ body: (any SQLConnection) throws -> T) throws -> T

    /// How many write transactions this process has committed through this object. Caches of
    /// what was read compare it to know that nothing changed here since; writes by other
    /// processes are not counted, so such caches also bound their age.
    var commitCount: UInt64 { get }
}
