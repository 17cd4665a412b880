import Foundation
import PostgreSQL
import Testing
import TestSupport

/// Lost connections and the pool, on a server of their own (one test restarts it).
@Suite(.enabled(if: PostgresServer.isAvailable, PostgresServer.missing), .postgresServer, .serialized)
struct PostgresRecoveryTests {
    let server = PostgresServer.current!

    /// Here rather than beside the other connection tests: the variables are the process's own.
    @Test func anEmptyConnectionStringTakesThePGVariables() throws {
        let variables = ["PGHOST": server.socketDirectory, "PGPORT": String(server.port), "PGUSER": "postgres", "PGDATABASE": "postgres"]
        for (name, value) in variables { setenv(name, value, 1) }
        defer { for name in variables.keys { unsetenv(name) } }
        let connection = try PostgresConnection()
        #expect(try connection.queryOne("SELECT current_user") { try $0.string(0) } == "postgres")
    }

    @Test func aRestartFailsOneStatementAndTheNextReconnects() throws {
        let connection = try PostgresConnection(server.connectionString)
        try connection.listen("after_restart")
        let before = connection.backendPID
        try server.restart()
        let error = #expect(throws: PostgresError.self) { try connection.queryOne("SELECT 1") { try $0.int64(0) } }
        #expect(error?.kind == .connectionLost)
        #expect(connection.isBroken)
        #expect(try connection.queryOne("SELECT 1") { try $0.int64(0) } == 1)
        #expect(connection.backendPID != before)
        // Prepared statements and LISTEN are made again on the new session.
        #expect(try connection.queryOne("SELECT $1::bigint", [.int64(7)]) { try $0.int64(0) } == 7)
        try PostgresConnection(server.connectionString).notify("after_restart", payload: "back")
        #expect(try connection.notifications(timeout: .seconds(10)).map(\.payload) == ["back"])
    }

    @Test func thePoolNeverOpensMoreThanItsLimitUnderTwentyUsers() async throws {
        let name = "pool-" + UUID().uuidString
        let pool = PostgresPool(server.connectionString + " application_name=\(name)", maximumConnections: 4)
        let observed = try await withThrowingTaskGroup(of: Int64.self) { group in
            for _ in 0..<20 {
                group.addTask {
                    try await pool.withConnection { connection in
                        // Holds the connection a moment, so that the twenty users contend.
                        try connection.execute("SELECT pg_sleep(0.02)")
                        return try connection.queryOne("SELECT count(*) FROM pg_stat_activity WHERE application_name = $1",
                                                       [.text(name)]) { try $0.int64(0) } ?? 0
                    }
                }
            }
            return try await group.reduce(into: [Int64]()) { $0.append($1) }
        }
        #expect(observed.count == 20)
        #expect(observed.max() ?? 0 <= 4)
        #expect(await pool.openConnections <= 4)
    }

    @Test func thePoolDropsAKilledConnectionAndCarriesOn() async throws {
        let name = "killed-" + UUID().uuidString
        let pool = PostgresPool(server.connectionString + " application_name=\(name)", maximumConnections: 2)
        // One connection held while the second is taken: the pool opens both.
        let pids: Set<Int32> = try await pool.withConnection { first in
            try await pool.withConnection { second in [first.backendPID, second.backendPID] }
        }
        #expect(pids.count == 2)
        let admin = try PostgresConnection(server.connectionString)
        let killed = try admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1", [.text(name)]) { try $0.bool(0) }
        #expect(killed == [true, true])
        try await eventually("the terminated backends are gone") {
            try admin.queryOne("SELECT count(*) FROM pg_stat_activity WHERE application_name = $1", [.text(name)]) { try $0.int64(0) } == 0
        }

        var failures = 0
        var answers = 0
        for _ in 0..<6 {
            do {
                _ = try await pool.withConnection { try $0.queryOne("SELECT 1") { try $0.int64(0) } }
                answers += 1
            } catch let error as PostgresError {
                #expect(error.kind == .connectionLost)
                failures += 1
            }
        }
        #expect(failures <= 2)
        #expect(answers >= 4)
        #expect(await pool.openConnections <= 2)
        let fresh = try await pool.withConnection { $0.backendPID }
        #expect(!pids.contains(fresh))
    }

    @Test func aCallerCancelledInLineLeavesIt() async throws {
        let pool = PostgresPool(server.connectionString, maximumConnections: 1)
        try await pool.withConnection { _ in
            let waiter = Task { try await pool.withConnection { _ in "served" } }
            waiter.cancel()
            await #expect(throws: CancellationError.self) { try await waiter.value }
        }
        #expect(try await pool.withConnection { try $0.queryOne("SELECT 1") { try $0.int64(0) } } == 1)
        #expect(await pool.openConnections == 1)
    }
}
