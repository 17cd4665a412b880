import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// A real PostgreSQL server for one test suite: `initdb` into a temporary directory (trust
/// authentication, user `postgres`), `pg_ctl start` on a free loopback port with its Unix socket
/// in that directory, stopped and removed when the suite ends, passed or failed.
///
/// `initdb` and `postgres` refuse to run as root: as root, they run as `nobody` (through `runuser`)
/// in a directory handed to that user.
public final class PostgresServer: Sendable {
    /// Why PostgreSQL tests are skipped when no server binaries are installed.
    public static let missing: Comment = "skipped: PostgreSQL server binaries not installed in /usr/lib/postgresql/*/bin (`make deps` installs postgresql)"

    /// The server of the running suite (set by the `.postgresServer` trait).
    @TaskLocal public static var current: PostgresServer?

    /// The newest `/usr/lib/postgresql/<version>/bin` holding `initdb` and `pg_ctl`.
    public static let binDirectory: String? = {
        let root = "/usr/lib/postgresql"
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        return versions.compactMap(Int.init).sorted(by: >).map { "\(root)/\($0)/bin" }.first { bin in
            ["initdb", "pg_ctl", "postgres"].allSatisfy { FileManager.default.isExecutableFile(atPath: "\(bin)/\($0)") }
        }
    }()

    public static var isAvailable: Bool { binDirectory != nil }

    /// Keeps the data directory alive as long as the server.
    private let directory: TemporaryDirectory
    private let bin: String
    /// The TCP port on 127.0.0.1 (also names the Unix socket in `socketDirectory`).
    public let port: Int

    /// The directory of the server's Unix socket.
    public var socketDirectory: String { directory.path }
    private var dataDirectory: String { directory.file("data") }

    /// A libpq connection string over the Unix socket, as superuser `postgres`.
    public var connectionString: String { "host=\(socketDirectory) port=\(port) user=postgres dbname=postgres" }
    /// The same for database `name`.
    public func connectionString(database name: String) -> String {
        "host=\(socketDirectory) port=\(port) user=postgres dbname=\(name)"
    }

    /// A `postgres://` URL over TCP.
    public var url: String { "postgres://postgres@127.0.0.1:\(port)/postgres" }

    /// The server's `max_connections`.
    private let maxConnections: Int

    /// Creates the cluster and starts the server (a few seconds).
    public init(maxConnections: Int = 60) throws {
        self.maxConnections = maxConnections
        guard let bin = Self.binDirectory else { throw Spawn.Failure(description: Self.missing.rawValue) }
        self.bin = bin
        directory = TemporaryDirectory()
        port = try HTTPPort.free()
        if getuid() == 0 {
            guard let user = getpwnam("nobody") else { throw Spawn.Failure(description: "no user `nobody` to run PostgreSQL as") }
            guard chown(directory.path, user.pointee.pw_uid, user.pointee.pw_gid) == 0 else {
                throw Spawn.Failure(description: "cannot hand \(directory.path) to nobody: errno \(errno)")
            }
        }
        chmod(directory.path, 0o700)
        try run("initdb", ["-D", dataDirectory, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-locale", "--no-sync"])
        try start()
    }

    deinit { stop() }

    /// Stops the server, then starts it again and waits until it accepts connections.
    public func restart() throws {
        try run("pg_ctl", ["-D", dataDirectory, "-w", "-m", "fast", "stop"])
        try start()
    }

    /// Stops the server at once and removes its files (idempotent).
    public func stop() {
        if FileManager.default.fileExists(atPath: dataDirectory + "/postmaster.pid") {
            _ = try? run("pg_ctl", ["-D", dataDirectory, "-w", "-m", "immediate", "stop"])
        }
        try? FileManager.default.removeItem(atPath: directory.path)
    }

    private func start() throws {
        let options = "-p \(port) -k \(socketDirectory) -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c max_connections=\(maxConnections)"
        try run("pg_ctl", ["-D", dataDirectory, "-l", directory.file("server.log"), "-w", "-t", "60", "-o", options, "start"])
    }

    /// Runs a PostgreSQL binary to its end, as `nobody` when this process is root.
    private func run(_ tool: String, _ arguments: [String]) throws {
        let path = "\(bin)/\(tool)"
        let (executable, argv) = getuid() == 0 ? ("/usr/sbin/runuser", ["-u", "nobody", "--", path] + arguments) : (path, arguments)
        let output = try Spawn.run(executable, argv, directory: directory.path,
                                   environment: ["PATH": "/usr/bin:/bin", "LC_ALL": "C", "TZ": "UTC"])
        guard output.status == 0 else {
            let log = (try? String(contentsOfFile: directory.file("server.log"), encoding: .utf8)) ?? ""
            throw Spawn.Failure(description: "\(tool) failed (\(output.status)): \(String(decoding: output.stderr, as: UTF8.self))\n\(log.suffix(2000))")
        }
    }
}

/// Starts one PostgreSQL server around a whole suite: `@Suite(.postgresServer)`, then
/// `PostgresServer.current` in its tests.
public struct PostgresServerTrait: SuiteTrait, TestScoping {
    public var isRecursive: Bool { false }

    public func provideScope(for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void) async throws {
        guard PostgresServer.isAvailable else { return try await function() }
        let server = try PostgresServer()
        defer { server.stop() }
        try await PostgresServer.$current.withValue(server) { try await function() }
    }
}

extension Trait where Self == PostgresServerTrait {
    /// One PostgreSQL server for the suite, stopped at its end.
    public static var postgresServer: Self { PostgresServerTrait() }
}
