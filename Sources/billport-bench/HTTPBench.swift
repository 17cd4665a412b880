import Foundation
import Billing
import BillingStore
import SQLite
import Glibc

/// The `http` group: `wrk` against `billport serve` (`/healthz` and a shared invoice view), the
/// serve process's peak RSS, and the same `/healthz` load against a Hummingbird 2 hello-world
/// peer (built by `bench/hummingbird-peer.sh`, outside the repository) as the yardstick.
struct HTTPBench {
    let billport: String
    let directory: String

    /// The load every server gets; the URL is appended.
    static let wrkArguments = ["-t2", "-c64", "-d10s", "--latency"]

    func run(_ report: inout BenchReport) async throws {
        let wrk = try Self.executableInPath("wrk", hint: "install it with `apt-get install -y wrk`")
        let data = directory + "/http"
        try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true)
        var environment = Self.inheritedEnvironment()
        environment["BILLPORT_DATA_DIRECTORY"] = data
        environment["BILLPORT_DATABASE_PATH"] = data + "/billport.sqlite"
        environment["BILLPORT_LOG_LEVEL"] = "warning"
        // One load generator on one address: the public rate limits would answer it 429.
        environment["BILLPORT_HTTP_RATE_LIMIT_PER_ADDRESS"] = "0"
        environment["BILLPORT_HTTP_RATE_LIMIT_PER_TOKEN"] = "0"
        let token = try shareToken(environment: environment)
        guard let encodedToken = token.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(.init(charactersIn: "-._~"))) else {
            throw BenchFailure("cannot percent-encode the share token '\(token)'")
        }
        let viewPath = "/api/invoices/view/\(encodedToken)"

        let port = try Self.freePort()
        environment["BILLPORT_HTTP_HOST"] = "127.0.0.1"
        environment["BILLPORT_HTTP_PORT"] = String(port)
        let serve = try await Server.start(billport, ["serve"], environment: environment, port: port, log: data + "/serve.log")
        let healthz: WrkResult, view: WrkResult, page: WrkResult, rssMB: Double
        do {
            let status = Self.httpStatus(port: port, path: viewPath)
            guard status == 200 else {
                throw BenchFailure("GET \(viewPath) answered \(status.map(String.init) ?? "nothing") instead of 200 (log: \(serve.log))")
            }
            healthz = try Self.runWrk(wrk, url: "http://127.0.0.1:\(port)/healthz", errorFile: data + "/wrk.stderr")
            view = try Self.runWrk(wrk, url: "http://127.0.0.1:\(port)\(viewPath)", errorFile: data + "/wrk.stderr")
            page = try Self.runWrk(wrk, url: "http://127.0.0.1:\(port)/invoice/\(encodedToken)", errorFile: data + "/wrk.stderr")
            rssMB = try Self.peakRSSMegabytes(pid: serve.process.processIdentifier)
        } catch {
            await serve.stop()
            throw error
        }
        await serve.stop()
        // Every open of the page and the JSON view must be in the log once serve has drained.
        let database = try Database(path: data + "/billport.sqlite")
        let recorded = try database.readBlocking { db in
            try db.queryOne("SELECT count(*) FROM views") { $0.int(0) } ?? 0
        }
        let served = page.totalRequests + view.totalRequests
        // And every counted view is in the stats once `views.aggregate` has caught up.
        let stores = BillingStores.sqlite(database: database)
        while try await stores.views.aggregateViews(window: .seconds(1800)) > 0 {}
        let (counted, inStats) = try database.readBlocking { db in
            (try db.queryOne("SELECT count(*) FROM views WHERE counted = 1") { $0.int(0) } ?? 0,
             try db.queryOne("SELECT coalesce(sum(view_count), 0) FROM view_stats") { $0.int(0) } ?? 0)
        }

        let peerBinary = try Self.buildPeer(script: FileManager.default.currentDirectoryPath + "/bench/hummingbird-peer.sh")
        let peerPort = try Self.freePort()
        let peerServer = try await Server.start(peerBinary, [String(peerPort)], environment: Self.inheritedEnvironment(),
                                                port: peerPort, log: data + "/peer.log")
        let peer: WrkResult
        do {
            peer = try Self.runWrk(wrk, url: "http://127.0.0.1:\(peerPort)/healthz", errorFile: data + "/wrk.stderr")
        } catch {
            await peerServer.stop()
            throw error
        }
        await peerServer.stop()

        report.add("http.healthz.rps", healthz.requestsPerSecond, "req/s",
                   target: ">= peer \(BenchReport.format(peer.requestsPerSecond))",
                   meets: healthz.requestsPerSecond >= peer.requestsPerSecond)
        report.add("http.healthz.p99_ms", healthz.p99Milliseconds, "ms")
        report.add("http.view.rps", view.requestsPerSecond, "req/s", target: ">= 50% of healthz",
                   meets: view.requestsPerSecond >= 0.5 * healthz.requestsPerSecond)
        report.add("http.view.p99_ms", view.p99Milliseconds, "ms", target: "< 10", meets: view.p99Milliseconds < 10)
        report.add("http.page.rps", page.requestsPerSecond, "req/s", target: ">= 50% of healthz",
                   meets: page.requestsPerSecond >= 0.5 * healthz.requestsPerSecond)
        report.add("http.page.p99_ms", page.p99Milliseconds, "ms", target: "< 10", meets: page.p99Milliseconds < 10)
        report.add("http.views.recorded", Double(recorded), "views", target: ">= \(served) served", meets: recorded >= served)
        report.add("http.views.in_stats", Double(inStats), "views", target: "= \(counted) counted", meets: inStats == counted)
        report.add("http.rss_mb", rssMB, "MB", target: "< 64", meets: rssMB < 64)
        report.add("http.peer.healthz.rps", peer.requestsPerSecond, "req/s", target: "Hummingbird 2 reference")
        report.add("http.peer.healthz.p99_ms", peer.p99Milliseconds, "ms", target: "Hummingbird 2 reference")
    }

    /// `BILLPORT_BENCH_SHARE_TOKEN` when set; otherwise the `shareToken` of `billport demo --json`.
    private func shareToken(environment: [String: String]) throws -> String {
        if let token = ProcessInfo.processInfo.environment["BILLPORT_BENCH_SHARE_TOKEN"], !token.isEmpty { return token }
        let demo = try Self.capture(billport, ["demo", "--json"], environment: environment, errorFile: directory + "/http/demo.stderr")
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

    // MARK: - Processes

    /// A server process started by the bench, with the file its output goes to.
    struct Server {
        let process: Process
        let log: String

        /// Starts `executable` with output to `log` and polls `GET /healthz` until it answers 200.
        static func start(_ executable: String, _ arguments: [String], environment: [String: String],
                          port: Int, log: String, deadline: Duration = .seconds(30)) async throws -> Server {
            let process = try HTTPBench.launchLogged(executable, arguments, environment: environment, log: log)
            let server = Server(process: process, log: log)
            let start = ContinuousClock.now
            while HTTPBench.httpStatus(port: port, path: "/healthz") != 200 {
                let name = ([executable] + arguments).joined(separator: " ")
                guard process.isRunning else {
                    throw BenchFailure("`\(name)` exited with \(process.terminationStatus) before GET /healthz answered 200; log \(log):\n\(server.logTail())")
                }
                guard ContinuousClock.now - start < deadline else {
                    await server.stop()
                    throw BenchFailure("`\(name)` did not answer GET http://127.0.0.1:\(port)/healthz with 200 within \(deadline); log \(log):\n\(server.logTail())")
                }
                try await Task.sleep(for: .milliseconds(50))
            }
            return server
        }

        /// SIGTERM, then waits up to 10 s before SIGKILL.
        func stop() async {
            guard process.isRunning else { return }
            process.terminate()
            let start = ContinuousClock.now
            while process.isRunning && ContinuousClock.now - start < .seconds(10) {
                try? await Task.sleep(for: .milliseconds(20))
            }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
        }

        func logTail() -> String {
            String((try? String(contentsOfFile: log, encoding: .utf8))?.suffix(2000) ?? "")
        }
    }

    /// Runs `bench/hummingbird-peer.sh` (build output passes through to stderr) and returns the
    /// binary path it prints last.
    static func buildPeer(script: String) throws -> String {
        guard FileManager.default.fileExists(atPath: script) else {
            throw BenchFailure("\(script) not found; run the bench from the repository root (`make bench`)")
        }
        let run = try capture("/bin/bash", [script], environment: nil, errorFile: nil)
        let lines = run.output.split(whereSeparator: \.isNewline)
        guard run.status == 0, let last = lines.last.map(String.init), FileManager.default.isExecutableFile(atPath: last) else {
            throw BenchFailure("\(script) exited with \(run.status) without printing an executable peer path:\n\(run.output)")
        }
        return last
    }

    /// Runs a process to completion: stdout is captured, stderr goes to `errorFile` (nil: ours).
    static func capture(_ executable: String, _ arguments: [String], environment: [String: String]?,
                        errorFile: String?) throws -> (status: Int32, output: String, errorText: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let environment { process.environment = environment }
        let pipe = Pipe()
        process.standardOutput = pipe
        var errorHandle: FileHandle?
        if let errorFile {
            guard FileManager.default.createFile(atPath: errorFile, contents: nil) else {
                throw BenchFailure("cannot create \(errorFile)")
            }
            errorHandle = try FileHandle(forWritingTo: URL(fileURLWithPath: errorFile))
            process.standardError = errorHandle
        }
        try launch(process)
        try? errorHandle?.close()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let errorText = errorFile.flatMap { try? String(contentsOfFile: $0, encoding: .utf8) } ?? ""
        return (process.terminationStatus, String(decoding: data, as: UTF8.self), errorText)
    }

    /// Starts `process` with no signal blocked. The threads Swift concurrency runs on block most
    /// signals and a child inherits its parent thread's mask, so SIGTERM would stay pending in a
    /// child that does not unblock it itself (swiftlang/swift-corelibs-foundation#4772).
    /// Starts `executable` with stdout and stderr going to the file `log`.
    static func launchLogged(_ executable: String, _ arguments: [String], environment: [String: String]? = nil,
                             log: String) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let environment { process.environment = environment }
        guard FileManager.default.createFile(atPath: log, contents: nil) else { throw BenchFailure("cannot create \(log)") }
        let output = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        process.standardOutput = output
        process.standardError = output
        try launch(process)
        try? output.close()
        return process
    }

    static func launch(_ process: Process) throws {
        var none = sigset_t(), previous = sigset_t()
        sigemptyset(&none)
        pthread_sigmask(SIG_SETMASK, &none, &previous)
        defer { pthread_sigmask(SIG_SETMASK, &previous, nil) }
        do {
            try process.run()
        } catch {
            throw BenchFailure("cannot start \(process.executableURL?.path ?? "?"): \(error)")
        }
    }

    /// Our environment without `BILLPORT_*` settings, so that only the bench's own apply.
    static func inheritedEnvironment() -> [String: String] {
        ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("BILLPORT_") }
    }

    /// The absolute path of `name` on `PATH`, or an error carrying `hint`.
    static func executableInPath(_ name: String, hint: String) throws -> String {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":") where FileManager.default.isExecutableFile(atPath: "\(directory)/\(name)") {
            return "\(directory)/\(name)"
        }
        throw BenchFailure("`\(name)` not found on PATH; \(hint)")
    }

    // MARK: - /proc and sockets

    /// `VmHWM` (peak resident set) of `pid` from `/proc/<pid>/status`, in MB (MiB).
    static func peakRSSMegabytes(pid: Int32) throws -> Double {
        let path = "/proc/\(pid)/status"
        guard let status = try? String(contentsOfFile: path, encoding: .utf8) else { throw BenchFailure("cannot read \(path)") }
        guard let kilobytes = parseVmHWMKilobytes(status) else { throw BenchFailure("no 'VmHWM: N kB' line in \(path)") }
        return Double(kilobytes) / 1024
    }

    /// The number on the `VmHWM:   12345 kB` line of a `/proc/<pid>/status` text.
    static func parseVmHWMKilobytes(_ status: String) -> Int? {
        for line in status.split(whereSeparator: \.isNewline) where line.hasPrefix("VmHWM:") {
            let fields = line.split(whereSeparator: \.isWhitespace)
            guard fields.count == 3, fields[2] == "kB" else { return nil }
            return Int(fields[1])
        }
        return nil
    }

    /// A TCP port on 127.0.0.1 that was free a moment ago (bind to port 0, read it, close).
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw BenchFailure("socket(): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var address = loopback(port: 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                bind(fd, socketAddress, length) == 0 && getsockname(fd, socketAddress, &length) == 0
            }
        }
        guard bound else { throw BenchFailure("cannot bind 127.0.0.1:0: \(String(cString: strerror(errno)))") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// The status code of `GET path` on 127.0.0.1:`port` over a plain socket (1 s timeouts), or nil.
    static func httpStatus(port: Int, path: String) -> Int? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var timeout = timeval(tv_sec: 1, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = loopback(port: port)
        let connected = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
        guard connected else { return nil }
        let request = Array("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n\r\n".utf8)
        var sent = 0
        while sent < request.count {
            let count = request[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard count > 0 else { return nil }
            sent += count
        }
        var response: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1024)
        while !response.contains(UInt8(ascii: "\n")) && response.count < 8192 {
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { break }
            response += buffer[..<count]
        }
        return parseStatusCode(String(decoding: response, as: UTF8.self))
    }

    /// `200` from `HTTP/1.1 200 OK\r\n...`; nil for anything else.
    static func parseStatusCode(_ response: String) -> Int? {
        let fields = response.prefix { $0 != "\r" && $0 != "\n" }.split(separator: " ")
        guard fields.count >= 2, fields[0].hasPrefix("HTTP/1."), fields[1].count == 3 else { return nil }
        return Int(fields[1])
    }

    private static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(truncatingIfNeeded: port).bigEndian)
        address.sin_addr.s_addr = in_addr_t(0x7f00_0001).bigEndian  // 127.0.0.1
        return address
    }
}
