import Foundation
import PostgreSQL
import TestSupport

/// `GET /api/invoices/view/{token}` (the buyer's JSON view of the demo invoice) under `wrk`: one
/// `billport serve` on SQLite, then one and two `billport api` processes on one PostgreSQL
/// database (two `wrk` at once, one per host, their rates added). Quiet logs and no public rate
/// limits everywhere, so that the figures differ by the database alone.
struct PostgresViewBench {
    let billport: String
    let directory: String

    func run(_ server: PostgresServer, _ report: inout BenchReport) async throws {
        let wrk = try HTTPBench.executableInPath("wrk", hint: "install it with `apt-get install -y wrk`")
        let quiet = ["BILLPORT_HTTP_RATE_LIMIT_PER_ADDRESS": "0", "BILLPORT_HTTP_RATE_LIMIT_PER_TOKEN": "0",
                     "BILLPORT_HTTP_MAX_CONNECTIONS_PER_ADDRESS": "1024", "BILLPORT_LOG_LEVEL": "warning", "BILLPORT_HTTP_HOST": "127.0.0.1"]

        let data = directory + "/pg-view-sqlite"
        var sqlite = HTTPBench.inheritedEnvironment().merging(quiet) { $1 }
        sqlite["BILLPORT_DATA_DIRECTORY"] = data
        sqlite["BILLPORT_DATABASE_PATH"] = data + "/billport.sqlite"
        let sqliteView = try viewPath(environment: sqlite, name: "sqlite")
        let servePort = try HTTPBench.freePort()
        sqlite["BILLPORT_HTTP_PORT"] = String(servePort)
        let serve = try await HTTPBench.Server.start(billport, ["serve"], environment: sqlite, port: servePort, log: directory + "/pg-view-serve.log")
        let onSQLite: HTTPBench.WrkResult
        do {
            onSQLite = try HTTPBench.runWrk(wrk, url: "http://127.0.0.1:\(servePort)\(sqliteView)", errorFile: directory + "/pg-view-wrk.stderr")
        } catch {
            await serve.stop()
            throw error
        }
        await serve.stop()

        try PostgresConnection(server.connectionString).execute("CREATE DATABASE views")
        let url = "postgres://postgres@127.0.0.1:\(server.port)/views"
        let view = try viewPath(environment: PostgresBench.environment(url: url, directory: directory, quiet), name: "postgres")
        var apis: [(server: HTTPBench.Server, port: Int)] = []
        defer { for api in apis where api.server.process.isRunning { api.server.process.terminate(); api.server.process.waitUntilExit() } }
        for index in 1...2 {
            let port = try HTTPBench.freePort()
            let environment = PostgresBench.environment(url: url, directory: directory, quiet.merging(["BILLPORT_HTTP_PORT": String(port)]) { $1 })
            apis.append((try await HTTPBench.Server.start(billport, ["api"], environment: environment, port: port,
                                                          log: directory + "/pg-view-api-\(index).log"), port))
        }
        let urls = apis.map { "http://127.0.0.1:\($0.port)\(view)" }
        let oneHost = try HTTPBench.runWrk(wrk, url: urls[0], errorFile: directory + "/pg-view-wrk.stderr")
        let twoHosts = try await Self.concurrently(urls.enumerated().map { index, url in
            { try HTTPBench.runWrk(wrk, url: url, errorFile: self.directory + "/pg-view-wrk-\(index).stderr") }
        })
        for api in apis { await api.server.stop() }

        let twoRate = twoHosts.map(\.requestsPerSecond).reduce(0, +)
        report.add("postgres.view.sqlite.rps", onSQLite.requestsPerSecond, "req/s", target: "one serve on SQLite, same run")
        report.add("postgres.view.sqlite.p99_ms", onSQLite.p99Milliseconds, "ms")
        report.add("postgres.view.api1.rps", oneHost.requestsPerSecond, "req/s", target: "one api process on PostgreSQL")
        report.add("postgres.view.api1.p99_ms", oneHost.p99Milliseconds, "ms")
        report.add("postgres.view.api2.rps", twoRate, "req/s", target: "two api processes, one wrk each")
        report.add("postgres.view.api2.p99_ms", twoHosts.map(\.p99Milliseconds).max() ?? 0, "ms", target: "the worse host")
    }

    /// The demo invoice's JSON view path on the database `environment` names (`billport demo --json`).
    private func viewPath(environment: [String: String], name: String) throws -> String {
        let demo = try HTTPBench.capture(billport, ["demo", "--json"], environment: environment, errorFile: directory + "/pg-view-demo-\(name).stderr")
        guard demo.status == 0 else { throw BenchFailure("`billport demo --json` on \(name) exited with \(demo.status): \(demo.errorText)") }
        let token = try HTTPBench.parseShareToken(demo.output)
        guard let encoded = token.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(.init(charactersIn: "-._~"))) else {
            throw BenchFailure("cannot percent-encode the share token '\(token)'")
        }
        return "/api/invoices/view/\(encoded)"
    }

    /// Runs blocking `bodies` at once, each on a thread of its own; their results in order.
    static func concurrently<T: Sendable>(_ bodies: [@Sendable () throws -> T]) async throws -> [T] {
        try await withThrowingTaskGroup(of: (Int, T).self) { group in
            for (index, body) in bodies.enumerated() {
                group.addTask {
                    try await withCheckedThrowingContinuation { continuation in
                        Thread { continuation.resume(with: Result { (index, try body()) }) }.start()
                    }
                }
            }
            return try await group.reduce(into: [(Int, T)]()) { $0.append($1) }.sorted { $0.0 < $1.0 }.map(\.1)
        }
    }
}
