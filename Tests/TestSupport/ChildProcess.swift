import Foundation

/// A real `billport` process for end-to-end tests, its output kept in files.
public final class ChildProcess: @unchecked Sendable {
    // Safety: `exitStatus` is only touched under `lock`; everything else is set in init.
    /// The process id.
    public let pid: pid_t
    private let lock = NSLock()
    private var exitStatus: Int32?
    /// Where its standard error goes (logs).
    public let stderrPath: String
    /// Where its standard output goes.
    public let stdoutPath: String

    /// Starts `executable` with `arguments` in `directory`, with `environment` added to a minimal one.
    public init(_ executable: String, _ arguments: [String], directory: String, environment: [String: String] = [:],
                name: String = UUID().uuidString) throws {
        var env = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"]
        env.merge(environment) { $1 }
        stdoutPath = directory + "/\(name).out"
        stderrPath = directory + "/\(name).err"
        _ = FileManager.default.createFile(atPath: stdoutPath, contents: nil)
        _ = FileManager.default.createFile(atPath: stderrPath, contents: nil)
        pid = try Spawn.start(executable, arguments, directory: directory, environment: env, stdout: stdoutPath, stderr: stderrPath)
    }

    /// Whether it still runs (reaps it once it has ended).
    public var isRunning: Bool { status == nil }

    /// Its exit status (128 + signal when a signal ended it), or nil while it runs.
    private var status: Int32? {
        lock.withLock {
            if exitStatus == nil {
                var raw: Int32 = 0
                if waitpid(pid, &raw, WNOHANG) == pid { exitStatus = Spawn.decode(raw) }
            }
            return exitStatus
        }
    }

    /// Sends `signal` (SIGKILL, SIGTERM, …).
    public func send(_ signal: Int32) {
        if isRunning { kill(pid, signal) }
    }

    /// Waits for the exit, at most `timeout`; returns the status, or nil if it still runs.
    public func waitForExit(timeout: Duration = .seconds(30)) async throws -> Int32? {
        let deadline = ContinuousClock.now + timeout
        while isRunning, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(10))
        }
        return status
    }

    /// What it wrote to standard error so far.
    public var stderr: String { (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "" }
    /// What it wrote to standard output so far.
    public var stdout: String { (try? String(contentsOfFile: stdoutPath, encoding: .utf8)) ?? "" }

    /// The port of a `billport serve` started with `BILLPORT_HTTP_PORT=0`, from its
    /// `http listening port=N` log line (or its JSON form with `log.format` `json`).
    public func listeningPort() async throws -> Int {
        var port: Int?
        try await eventually("serve logs its port") {
            let text = stderr
            guard let range = text.range(of: #"http listening port=\d+"#, options: .regularExpression)
                    ?? text.range(of: #""message":"http listening","fields":\{"port":"\d+"#, options: .regularExpression)
            else { return !isRunning }
            port = Int(text[range].split(whereSeparator: { !$0.isNumber }).last ?? "")
            return true
        }
        guard let port else { throw ServeDidNotListen(log: stderr) }
        return port
    }

    /// `billport serve` ended or logged no port.
    public struct ServeDidNotListen: Error, CustomStringConvertible {
        public let log: String
        public var description: String { "billport serve did not log its port:\n\(log)" }
    }

    deinit {
        if isRunning {
            kill(pid, SIGKILL)
            _ = Spawn.waitBlocking(pid)
        }
    }

    /// The path of a product built beside the test bundle (`billport`, `billport-bench`).
    public static func builtProduct(_ name: String) -> String {
        let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        var candidates = [bundle.appendingPathComponent(name).path]
        if let index = CommandLine.arguments[0].range(of: ".xctest") {
            let directory = (String(CommandLine.arguments[0][..<index.lowerBound]) as NSString).deletingLastPathComponent
            candidates.append(directory + "/" + name)
        }
        candidates.append(FileManager.default.currentDirectoryPath + "/.build/debug/" + name)
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) } ?? candidates[0]
    }
}
