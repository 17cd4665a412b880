import Foundation
import Glibc

/// The processes and sockets the bench groups share: servers started and stopped, tools run to
/// completion, free ports, status probes and peak RSS.
extension HTTPBench {
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

    // MARK: /proc and sockets

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
