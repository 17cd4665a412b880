import Foundation
import PostgreSQL
import Testing
import TestSupport

/// Statements, values, prepared statements, transactions and errors against a real server.
@Suite(.enabled(if: PostgresServer.isAvailable, PostgresServer.missing), .postgresServer)
struct PostgresConnectionTests {
    let server = PostgresServer.current!

    func connect() throws -> PostgresConnection { try PostgresConnection(server.connectionString) }

    /// A table of this test's own, so tests run side by side.
    func table(_ connection: PostgresConnection, _ columns: String) throws -> String {
        let name = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        try connection.execute("CREATE TABLE \(name) (\(columns))")
        return name
    }

    @Test func connectsWithAConnectionStringAndAURL() throws {
        for target in [server.connectionString, server.url, server.url + "?sslmode=disable&application_name=billport-test"] {
            let connection = try PostgresConnection(target)
            #expect(try connection.queryOne("SELECT 40 + $1", [.int64(2)]) { try $0.int64(0) } == 42)
        }
    }

    @Test func aRefusedConnectionNamesNoPassword() throws {
        let closed = try UnlistenedPort()
        let error = #expect(throws: PostgresError.self) {
            try PostgresConnection("postgres://billport:s3cret-Pa55@127.0.0.1:\(closed.port)/billport", connectTimeout: .seconds(2))
        }
        #expect(error?.kind == .connectFailed)
        #expect(error.map { !"\($0)".contains("s3cret-Pa55") } == true)
        #expect(error?.message.contains("\(closed.port)") == true)

        for malformed in ["postgres://billport:s3cret-Pa55%zz@127.0.0.1/billport", "host=127.0.0.1 password='s3cret-Pa55"] {
            let refused = #expect(throws: PostgresError.self) { try PostgresConnection(malformed) }
            #expect(refused?.kind == .invalidInput)
            #expect(refused.map { !"\($0)".contains("s3cret") } == true)
        }
    }

    @Test func everyValueKindRoundTrips() throws {
        let connection = try connect()
        let values: [PostgresValue] = [.null, .int64(.min), .int64(.max), .int64(0), .double(-1.5e-300), .double(.infinity), .double(0.1),
                                       .bool(true), .bool(false), .text(""), .text("O'Brien \\ \"quoted\" 🧾 ünïcødé"), .bytea([]),
                                       .bytea((0...255).map(UInt8.init))]
        let table = try table(connection, "id serial, i bigint, d double precision, b boolean, t text, y bytea")
        for value in values {
            let column = switch value {
            case .int64: "i"
            case .double: "d"
            case .bool: "b"
            case .bytea: "y"
            default: "t"
            }
            let read = try connection.queryOne("INSERT INTO \(table) (\(column)) VALUES ($1) RETURNING \(column)", [value]) { row -> PostgresValue in
                if try row.isNull(0) { return .null }
                switch value {
                case .int64: return .int64(try row.int64(0))
                case .double: return .double(try row.double(0))
                case .bool: return .bool(try row.bool(0))
                case .bytea: return .bytea(try row.bytes(0))
                default: return .text(try row.string(0))
                }
            }
            #expect(read == value)
        }
        #expect(try connection.queryOne("SELECT t FROM \(table) WHERE t IS NULL AND i IS NULL AND y IS NULL AND d IS NULL") { try $0.optionalString(0) } == .some(nil))
    }

    @Test func anEmbeddedNULIsRefusedBeforeSending() throws {
        let connection = try connect()
        let error = #expect(throws: PostgresError.self) { try connection.execute("SELECT $1::text", [.text("a\u{0}b")]) }
        #expect(error?.kind == .invalidInput)
        #expect(error?.message.contains("NUL") == true)
        #expect(try connection.queryOne("SELECT 1") { try $0.int64(0) } == 1)
    }

    @Test func readingAColumnAsTheWrongTypeThrows() throws {
        let connection = try connect()
        let errors = try connection.queryOne("SELECT 'x'::text, NULL::bigint, 1") { row in
            [#expect(throws: PostgresError.self) { try row.int64(0) }, #expect(throws: PostgresError.self) { try row.int64(1) },
             #expect(throws: PostgresError.self) { try row.string(3) }, #expect(throws: PostgresError.self) { try row.bytes(2) }]
        }
        #expect(errors?.allSatisfy { $0?.kind == .decoding } == true)
    }

    @Test func preparedStatementsAreReusedBySQLText() throws {
        let connection = try connect()
        let table = try table(connection, "n bigint")
        for value in 1...50 { try connection.execute("INSERT INTO \(table) VALUES ($1)", [.int64(Int64(value))]) }
        let sum = try connection.queryOne("SELECT sum(n) FROM \(table)") { try $0.int64(0) }
        #expect(sum == 1275)
        let prepared = try connection.query("SELECT statement FROM pg_prepared_statements") { try $0.string(0) }
        #expect(prepared.filter { $0.contains("INSERT INTO \(table)") }.count == 1)
        #expect(connection.preparedStatementCount == prepared.count)
    }

    @Test func executeCountsTheRowsItChanged() throws {
        let connection = try connect()
        let table = try table(connection, "n bigint")
        #expect(try connection.execute("INSERT INTO \(table) SELECT generate_series(1, 7)") == 7)
        #expect(try connection.execute("UPDATE \(table) SET n = n + 1 WHERE n > $1", [.int64(4)]) == 3)
        #expect(try connection.execute("DELETE FROM \(table) WHERE n < 0") == 0)
    }

    @Test func aTransactionCommitsOrRollsBackOnAThrownError() throws {
        struct Refused: Error {}
        let connection = try connect()
        let table = try table(connection, "n bigint")
        try connection.transaction { try $0.execute("INSERT INTO \(table) VALUES (1)") }
        #expect(throws: Refused.self) {
            try connection.transaction { transaction in
                try transaction.execute("INSERT INTO \(table) VALUES (2)")
                throw Refused()
            }
        }
        #expect(throws: PostgresError.self) {
            try connection.transaction { transaction in
                try transaction.execute("INSERT INTO \(table) VALUES (3)")
                _ = try? transaction.execute("SELECT 1 / 0")
            }
        }
        let nested = #expect(throws: PostgresError.self) { try connection.transaction { try $0.transaction { _ in } } }
        #expect(nested?.kind == .misuse)
        #expect(try connection.query("SELECT n FROM \(table)") { try $0.int64(0) } == [1])
    }

    @Test func aUniqueViolationNamesItsKindButNoBoundValue() throws {
        let connection = try connect()
        let table = try table(connection, "email text UNIQUE, token text")
        let secret = "sk_live_4eC39HqLyjWDarjtT1zdp7dc"
        try connection.execute("INSERT INTO \(table) VALUES ($1, $2)", [.text(secret), .text("first")])
        let error = #expect(throws: PostgresError.self) {
            try connection.execute("INSERT INTO \(table) VALUES ($1, $2)", [.text(secret), .text("second")])
        }
        #expect(error?.kind == .uniqueViolation)
        #expect(error?.sqlState == "23505")
        #expect(error?.message.contains("duplicate key") == true)
        #expect(error.map { "\($0)".contains(secret) || "\($0)".contains("sk_live") } == false)

        let syntax = #expect(throws: PostgresError.self) { try connection.execute("SELECT $1::bigint", [.text(secret)]) }
        #expect(syntax?.sqlState == "22P02")
        #expect(syntax.map { "\($0)".contains(secret) } == false)
    }

    @Test func aNotificationReachesAnotherConnection() throws {
        let listener = try connect()
        let sender = try connect()
        try listener.listen("invoices")
        #expect(try listener.notifications(timeout: .milliseconds(50)).isEmpty)
        try sender.notify("invoices", payload: "issued 42 'quoted' 🧾")
        let received = try listener.notifications(timeout: .seconds(10))
        #expect(received.map(\.payload) == ["issued 42 'quoted' 🧾"])
        #expect(received.first?.channel == "invoices")
        #expect(received.first?.senderPID == sender.backendPID)
        let oddChannel = #"Invoices "42"; DROP TABLE x; --'"#
        try listener.listen(oddChannel)
        try sender.notify(oddChannel, payload: "odd")
        #expect(try listener.notifications(timeout: .seconds(10)).map(\.channel) == [oddChannel])
        #expect(throws: PostgresError.self) { try listener.listen(String(repeating: "x", count: 64)) }
        #expect(throws: PostgresError.self) { try sender.notify("invoices", payload: String(repeating: "x", count: 8000)) }
    }
}
