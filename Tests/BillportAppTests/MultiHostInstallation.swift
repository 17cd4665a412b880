import Foundation
import Synchronization
import TestSupport
import Testing

/// One PostgreSQL server and the `billport` processes on it, each with a data directory of its
/// own, as if each ran on a machine of its own: nothing but the database is shared.
final class MultiHostInstallation: Sendable {
    let directory = TemporaryDirectory()
    let server: PostgresServer
    let billport = ChildProcess.builtProduct("billport")
    /// What every process gets; `BILLPORT_DATA_DIRECTORY` is added per process.
    let environment: [String: String]
    private let processes = Mutex<[String: ChildProcess]>([:])

    init(server: PostgresServer, environment: [String: String]) {
        self.server = server
        self.environment = environment.merging(["BILLPORT_DATABASE_URL": server.url]) { $1 }
    }

    /// Starts `billport <arguments>` as host `name` (its data directory is `<name>/`).
    @discardableResult
    func start(_ arguments: [String], name: String, environment extra: [String: String] = [:]) throws -> ChildProcess {
        let data = directory.file(name)
        try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true)
        let process = try ChildProcess(billport, arguments, directory: directory.path,
                                       environment: environment.merging(extra) { $1 }.merging(["BILLPORT_DATA_DIRECTORY": data]) { $1 },
                                       name: name)
        processes.withLock { $0[name] = process }
        return process
    }

    /// Starts `billport api` as host `name` on a free port and waits until it answers `/healthz`.
    func startAPI(name: String) async throws -> Int {
        let port = try HTTPPort.free()
        let process = try start(["api"], name: name, environment: ["BILLPORT_HTTP_PORT": String(port)])
        try await eventually(timeout: .seconds(60), "\(name) to answer /healthz") {
            guard process.isRunning else { throw HostFailure("\(name) exited: \(process.stderr.suffix(2000))") }
            return (try? await APIHosts.exchange(port: port, head: "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
                                                 body: [], timeout: .seconds(2)))?.status == 200
        }
        return port
    }

    /// Runs a one-off `billport` command on a host of its own and returns what it printed.
    func run(_ arguments: [String]) async throws -> String {
        let process = try start(arguments, name: "cli-\(UUID().uuidString.prefix(8))")
        let status = try await process.waitForExit(timeout: .seconds(60))
        guard status == 0 else { throw HostFailure("billport \(arguments.joined(separator: " ")): \(String(describing: status)) \(process.stderr)") }
        return process.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// SIGKILLs host `name` and waits until it is gone, as a machine that loses power.
    func kill(_ name: String) async throws {
        guard let process = processes.withLock({ $0[name] }) else { throw HostFailure("no host \(name)") }
        process.send(SIGKILL)
        guard try await process.waitForExit(timeout: .seconds(10)) != nil else { throw HostFailure("\(name) survived SIGKILL") }
    }

    /// Hosts that ended on their own (a crash), with the end of their log.
    func crashed(except killed: Set<String>) -> [String] {
        processes.withLock { all in
            all.filter { !killed.contains($0.key) && !$0.key.hasPrefix("cli-") && !$0.value.isRunning }
                .map { "\($0.key): \($0.value.stderr.suffix(1500))" }
        }
    }

    /// SIGTERMs every running host and waits for each to stop; the exit statuses by name.
    func stopAll() async throws -> [String: Int32?] {
        let running = processes.withLock { $0.filter { $0.value.isRunning } }
        running.values.forEach { $0.send(SIGTERM) }
        var statuses: [String: Int32?] = [:]
        for (name, process) in running { statuses[name] = try await process.waitForExit(timeout: .seconds(60)) }
        return statuses
    }

    /// The process id of host `name` (0 when there is none).
    func pid(_ name: String) -> pid_t { processes.withLock { $0[name]?.pid ?? 0 } }

    /// The log of host `name`.
    func log(_ name: String) -> String { processes.withLock { $0[name]?.stderr ?? "" } }
}

/// The API processes as a load balancer sees them: a request goes to the host it is meant for,
/// and to the next one while that one refuses, breaks the connection or answers 5xx (a host
/// killed or restarting, the database restarting), until `patience` runs out.
final class APIHosts: Sendable {
    struct Reply {
        let status: Int
        let text: String
        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:] }
        /// The error code of an error answer.
        var code: String? { (json["error"] as? [String: Any])?["code"] as? String ?? json["code"] as? String }
    }

    private let ports: Mutex<[Int]>
    private let token: String
    let patience: Duration

    init(ports: [Int], token: String, patience: Duration = .seconds(90)) {
        self.ports = Mutex(ports)
        self.token = token
        self.patience = patience
    }

    var count: Int { ports.withLock { $0.count } }
    func port(_ host: Int) -> Int { ports.withLock { $0[host % $0.count] } }
    /// A replacement host took host `host`'s place.
    func replace(_ host: Int, port: Int) { ports.withLock { $0[host] = port } }

    /// Sends `method path` to host `host` (then the others), with the tenant token unless
    /// `authorized` is false.
    func send(_ method: String, _ path: String, json: [String: Any]? = nil, body: [UInt8]? = nil, headers: [String: String] = [:],
              authorized: Bool = true, host: Int) async throws -> Reply {
        let bytes = try body ?? json.map { [UInt8](try JSONSerialization.data(withJSONObject: $0)) } ?? []
        var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/json\r\nConnection: close\r\nContent-Length: \(bytes.count)\r\n"
        if json != nil { head += "Content-Type: application/json\r\n" }
        if authorized { head += "Authorization: Bearer \(token)\r\n" }
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        head += "\r\n"
        let deadline = ContinuousClock.now + patience
        var attempt = 0
        var last = "no attempt"
        while ContinuousClock.now < deadline {
            let port = port(host + attempt)
            attempt += 1
            do {
                let response = try await Self.exchange(port: port, head: head, body: bytes, timeout: .seconds(30))
                if response.status < 500 { return Reply(status: response.status, text: response.text) }
                last = "\(response.status) \(response.text.prefix(300))"
            } catch {
                last = "\(error)"
            }
            // Every host tried once: wait for one to come back before the next round.
            if attempt % count == 0 { try await Task.sleep(for: .milliseconds(100)) }
        }
        throw HostFailure("\(method) \(path): no host answered within \(patience); last: \(last)")
    }

    /// `send`, requiring `status`.
    func expect(_ status: Int, _ method: String, _ path: String, json: [String: Any]? = nil, headers: [String: String] = [:],
                authorized: Bool = true, host: Int) async throws -> [String: Any] {
        let reply = try await send(method, path, json: json, headers: headers, authorized: authorized, host: host)
        guard reply.status == status else { throw HostFailure("\(method) \(path): \(reply.status) \(reply.text.prefix(500))") }
        return reply.json
    }

    /// One request on a connection of its own.
    static func exchange(port: Int, head: String, body: [UInt8], timeout: Duration) async throws -> RawResponse {
        let client = try RawClient(port: port)
        defer { client.close() }
        try await client.send(Array(head.utf8) + body)
        return try await client.readResponse(timeout: timeout)
    }
}

struct HostFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
