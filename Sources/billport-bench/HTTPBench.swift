import Foundation
import Billing
import BillingStore
import Relational
import SQLite
import Glibc

/// The `http` group: `wrk` against `billport serve` (`/healthz`, a shared invoice's JSON view and
/// page) as a user runs it (default log level and format: one access-log line per request), against
/// a second serve with quiet logs (`.quietlog`, level `warning`) and `/healthz` of a third with JSON
/// logs (`.json`); the first serve's peak RSS; and the same `/healthz` load against a Hummingbird 2
/// hello-world peer (built by `bench/hummingbird-peer.sh`, outside the repository) as the yardstick.
struct HTTPBench {
    let billport: String
    let directory: String

    /// The load every server gets; the URL is appended.
    static let wrkArguments = ["-t2", "-c64", "-d10s", "--latency"]

    /// How many times each figure is measured, the servers taking turns, the best run counting:
    /// the machine is shared, and turns spread what others take over every server alike.
    static let rounds = 2

    /// A server under test: where it listens and the process behind it.
    struct Target {
        let name: String
        let port: Int
        let server: Server
        /// A serve's own data directory (nil for the peer).
        var data: String? = nil
        /// The path of the demo invoice's JSON view and page on this serve (nil for the peer).
        var viewPath: String? = nil
        var pagePath: String? = nil
        var origin: String { "http://127.0.0.1:\(port)" }
    }

    func run(_ report: inout BenchReport) async throws {
        let wrk = try Self.executableInPath("wrk", hint: "install it with `apt-get install -y wrk`")
        let data = directory + "/http"
        try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true)
        var environment = Self.inheritedEnvironment()
        // One load generator on one address: the public rate limits would answer it 429, and the
        // per-address cap 503 while the last run's 64 connections are still being closed.
        environment["BILLPORT_HTTP_RATE_LIMIT_PER_ADDRESS"] = "0"
        environment["BILLPORT_HTTP_RATE_LIMIT_PER_TOKEN"] = "0"
        environment["BILLPORT_HTTP_MAX_CONNECTIONS_PER_ADDRESS"] = "1024"
        // Every server runs at once and is measured in turns; each serve is an installation of its
        // own (data directory, database, workers, scheduler), as a user runs one.
        var targets: [Target] = []
        var results: [String: [String: WrkResult]] = [:]
        var rssMB = 0.0, served: [String: Int] = [:]
        do {
            for (name, settings) in [("default", [String: String]()), ("quietlog", ["BILLPORT_LOG_LEVEL": "warning"]), ("json", ["BILLPORT_LOG_FORMAT": "json"])] {
                targets.append(try await startServe(name, environment: environment.merging(settings) { $1 }))
            }
            let peerBinary = try Self.buildPeer(script: FileManager.default.currentDirectoryPath + "/bench/hummingbird-peer.sh")
            let peerPort = try Self.freePort()
            targets.append(Target(name: "peer", port: peerPort,
                                  server: try await Server.start(peerBinary, [String(peerPort)], environment: Self.inheritedEnvironment(),
                                                                 port: peerPort, log: data + "/peer.log")))
            for target in targets {
                guard let viewPath = target.viewPath else { continue }
                let status = Self.httpStatus(port: target.port, path: viewPath)
                guard status == 200 else {
                    throw BenchFailure("GET \(viewPath) answered \(status.map(String.init) ?? "nothing") instead of 200 (log: \(target.server.log))")
                }
            }
            for _ in 0..<Self.rounds {
                for target in targets {
                    var paths = ["healthz": "/healthz"]
                    if ["default", "quietlog"].contains(target.name), let viewPath = target.viewPath, let pagePath = target.pagePath {
                        (paths["view"], paths["page"]) = (viewPath, pagePath)
                    }
                    for (name, path) in paths.sorted(by: { $0.key < $1.key }) {
                        let run = try Self.runWrk(wrk, url: target.origin + path, errorFile: data + "/wrk.stderr")
                        if name != "healthz" { served[target.name, default: 0] += run.totalRequests }
                        if run.requestsPerSecond > results[target.name]?[name]?.requestsPerSecond ?? -1 { results[target.name, default: [:]][name] = run }
                    }
                }
            }
            rssMB = try Self.peakRSSMegabytes(pid: targets[0].server.process.processIdentifier)
        } catch {
            for target in targets { await target.server.stop() }
            throw error
        }
        for target in targets { await target.server.stop() }

        // Every open of the page and the JSON view must be in each serve's log once it has drained,
        // and every counted view in the stats once `views.aggregate` has caught up.
        var recorded = 0, counted = 0, inStats = 0
        for target in targets where served[target.name] != nil {
            guard let directory = target.data else { continue }
            let database = try Database(path: directory + "/billport.sqlite")
            recorded += try database.readBlocking { db in try db.queryOne("SELECT count(*) FROM views") { $0.int(0) } ?? 0 }
            let stores = BillingStores.sqlite(database: database)
            while try await stores.views.aggregateViews(window: .seconds(1800)) > 0 {}
            let (one, two) = try database.readBlocking { db in
                (try db.queryOne("SELECT count(*) FROM views WHERE counted = 1") { $0.int(0) } ?? 0,
                 try db.queryOne("SELECT coalesce(sum(view_count), 0) FROM view_stats") { $0.int(0) } ?? 0)
            }
            counted += one
            inStats += two
        }
        let servedViews = served.values.reduce(0, +)

        func rps(_ target: String, _ path: String) -> Double { results[target]?[path]?.requestsPerSecond ?? 0 }
        let healthz = rps("default", "healthz"), peer = rps("peer", "healthz"), quiet = rps("quietlog", "healthz")
        report.add("http.healthz.rps", healthz, "req/s", target: ">= peer \(BenchReport.format(peer))", meets: healthz >= peer)
        report.add("http.healthz.p99_ms", results["default"]?["healthz"]?.p99Milliseconds ?? 0, "ms")
        for path in ["view", "page"] {
            guard let result = results["default"]?[path] else { continue }
            report.add("http.\(path).rps", result.requestsPerSecond, "req/s", target: ">= 50% of healthz",
                       meets: result.requestsPerSecond >= 0.5 * healthz)
            report.add("http.\(path).p99_ms", result.p99Milliseconds, "ms", target: "< 10", meets: result.p99Milliseconds < 10)
        }
        for path in ["healthz", "view", "page"] {
            report.add("http.\(path).quietlog.rps", rps("quietlog", path), "req/s", target: "log level warning")
        }
        report.add("http.healthz.json.rps", rps("json", "healthz"), "req/s", target: "log format json")
        report.add("http.healthz.vs_peer", healthz / peer, "x", target: ">= 1.00", meets: healthz >= peer)
        report.add("http.healthz.vs_quietlog", healthz / quiet, "x", target: ">= 0.90 (logging costs <= 10%)", meets: healthz >= 0.9 * quiet)
        report.add("http.healthz.json.vs_quietlog", rps("json", "healthz") / quiet, "x")
        report.add("http.views.recorded", Double(recorded), "views", target: ">= \(servedViews) served", meets: recorded >= servedViews)
        report.add("http.views.in_stats", Double(inStats), "views", target: "= \(counted) counted", meets: inStats == counted)
        report.add("http.rss_mb", rssMB, "MB", target: "< 64", meets: rssMB < 64)
        report.add("http.peer.healthz.rps", peer, "req/s", target: "Hummingbird 2 reference")
        report.add("http.peer.healthz.p99_ms", results["peer"]?["healthz"]?.p99Milliseconds ?? 0, "ms", target: "Hummingbird 2 reference")
    }

    /// Starts `billport serve` with `environment` on a free port, its log in `serve.<name>.log`.
    private func startServe(_ name: String, environment: [String: String]) async throws -> Target {
        let port = try Self.freePort()
        let data = directory + "/http/\(name)"
        try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true)
        var environment = environment
        environment["BILLPORT_DATA_DIRECTORY"] = data
        environment["BILLPORT_DATABASE_PATH"] = data + "/billport.sqlite"
        environment["BILLPORT_HTTP_HOST"] = "127.0.0.1"
        environment["BILLPORT_HTTP_PORT"] = String(port)
        let token = try shareToken(environment: environment)
        guard let encoded = token.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(.init(charactersIn: "-._~"))) else {
            throw BenchFailure("cannot percent-encode the share token '\(token)'")
        }
        let server = try await Server.start(billport, ["serve"], environment: environment, port: port, log: data + "/serve.log")
        return Target(name: name, port: port, server: server, data: data,
                      viewPath: "/api/invoices/view/\(encoded)", pagePath: "/invoice/\(encoded)")
    }

    /// The `shareToken` of `billport demo --json` run on the serve's own database.
    private func shareToken(environment: [String: String]) throws -> String {
        let demo = try Self.capture(billport, ["demo", "--json"], environment: environment, errorFile: (environment["BILLPORT_DATA_DIRECTORY"] ?? directory) + "/demo.stderr")
        guard demo.status == 0 else {
            throw BenchFailure("`billport demo --json` exited with \(demo.status): \(demo.errorText)")
        }
        return try Self.parseShareToken(demo.output)
    }

    /// The `shareToken` string field of the JSON object `billport demo --json` prints.
    static func parseShareToken(_ output: String) throws -> String {
        let object = try? JSONSerialization.jsonObject(with: Data(output.utf8))
        guard let fields = object as? [String: Any] else {
            throw BenchFailure("`billport demo --json` did not print one JSON object: \(output.prefix(500))")
        }
        guard let token = fields["shareToken"] as? String, !token.isEmpty else {
            throw BenchFailure("`billport demo --json` printed no non-empty string \"shareToken\": \(output.prefix(500))")
        }
        return token
    }

    // MARK: - wrk

    /// What `wrk --latency` printed; latencies in milliseconds.
    struct WrkResult: Equatable {
        var requestsPerSecond: Double
        var p50Milliseconds: Double
        var p99Milliseconds: Double
        /// `N requests in 10.00s, …`: responses wrk completed.
        var totalRequests = 0
        /// `Non-2xx or 3xx responses: N` (absent: 0).
        var non2xx3xx = 0
        /// The sum of `Socket errors: connect A, read B, write C, timeout D` (absent: 0).
        var socketErrors = 0
    }

    /// Runs `wrk -t2 -c64 -d10s --latency url`; throws on a failed run or any non-2xx/3xx answer.
    static func runWrk(_ wrk: String, url: String, errorFile: String) throws -> WrkResult {
        let run = try capture(wrk, wrkArguments + [url], environment: nil, errorFile: errorFile)
        guard run.status == 0 else { throw BenchFailure("wrk \(url) exited with \(run.status): \(run.errorText)\(run.output)") }
        let result = try parseWrk(run.output)
        guard result.non2xx3xx == 0 else { throw BenchFailure("wrk \(url): \(result.non2xx3xx) responses were not 2xx/3xx") }
        if result.socketErrors > 0 {
            FileHandle.standardError.write(Data("billport-bench: wrk \(url): \(result.socketErrors) socket errors\n".utf8))
        }
        return result
    }

    /// Parses `wrk --latency` output: `Requests/sec:`, the `50%` and `99%` latency lines, and
    /// the optional error lines. Pure; throws when a required line is missing or malformed.
    static func parseWrk(_ output: String) throws -> WrkResult {
        var rps: Double?, p50: Double?, p99: Double?, non2xx = 0, socketErrors = 0, total = 0
        for line in output.split(whereSeparator: \.isNewline) {
            let fields = line.split(whereSeparator: \.isWhitespace).map(String.init)
            guard let first = fields.first else { continue }
            switch first {
            case "Requests/sec:" where fields.count == 2:
                rps = Double(fields[1])
                if rps == nil { throw BenchFailure("wrk: bad Requests/sec line '\(line)'") }
            case "50%" where fields.count == 2, "99%" where fields.count == 2:
                guard let value = milliseconds(fields[1]) else { throw BenchFailure("wrk: bad latency line '\(line)'") }
                if first == "50%" { p50 = value } else { p99 = value }
            case _ where fields.count >= 3 && fields[1] == "requests" && fields[2] == "in":
                total = Int(first) ?? 0
            case "Non-2xx" where fields.count == 5:
                non2xx = Int(fields[4]) ?? 0
            case "Socket" where fields.count >= 3 && fields[1] == "errors:":
                socketErrors = fields.dropFirst(2).compactMap { Int($0.trimmingCharacters(in: [","])) }.reduce(0, +)
            default:
                continue
            }
        }
        guard let rps, let p50, let p99 else {
            throw BenchFailure("wrk output lacks Requests/sec or the 50%/99% latency lines (was --latency given?):\n\(output)")
        }
        return WrkResult(requestsPerSecond: rps, p50Milliseconds: p50, p99Milliseconds: p99, totalRequests: total,
                         non2xx3xx: non2xx, socketErrors: socketErrors)
    }

    /// A wrk duration (`812.00us`, `1.50ms`, `2.01s`, `1.00m`, `1.00h`) in milliseconds.
    static func milliseconds(_ text: String) -> Double? {
        let scales: [(suffix: String, toMilliseconds: Double)] = [("us", 0.001), ("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000)]
        for (suffix, scale) in scales where text.hasSuffix(suffix) {
            guard let number = Double(text.dropLast(suffix.count)) else { return nil }
            return number * scale
        }
        return nil
    }
}
