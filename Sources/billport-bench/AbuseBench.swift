import Foundation
import Glibc

/// The `abuse` group: `billport serve` run as a user runs it (default settings, default log
/// level, default limits) against clients that try to make it hold memory. Every measurement
/// gets a fresh server, so the peak RSS it reports is its own.
struct AbuseBench {
    let billport: String
    let directory: String

    /// One measurement against a fresh server; it adds its figures to the report.
    typealias Measurement = (_ target: AbuseTarget, _ report: inout BenchReport) async throws -> Void

    /// The measurements, in order; adding one is adding a line here.
    static var measurements: [(name: String, measure: Measurement)] {
        [
            ("pipeline", pipelineWithoutReading),
        ]
    }

    func run(_ report: inout BenchReport) async throws {
        for (name, measure) in Self.measurements {
            let target = try await AbuseTarget.start(billport: billport, dataDirectory: directory + "/abuse-\(name)")
            do {
                try await measure(target, &report)
            } catch {
                await target.stop()
                throw error
            }
            await target.stop()
        }
    }

    /// Requests the pipelining client sends on its one connection.
    static let pipelinedRequests = 100_000

    /// One connection pipelines 100,000 `GET /assets/billport.css` and reads nothing until the
    /// server stops taking them (or has them all); then it reads, sending the rest as the
    /// server takes them, and every response must arrive intact and in order.
    static func pipelineWithoutReading(_ target: AbuseTarget, _ report: inout BenchReport) async throws {
        let request = Array("GET /assets/billport.css HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".utf8)
        let port = target.port
        let result = try await Task.detached {
            let connection = try PipelinedConnection(port: port)
            return try connection.run(request: request, count: pipelinedRequests, stall: .seconds(2))
        }.value
        let rssMB = try target.peakRSSMegabytes()
        report.add("abuse.pipeline.rss_mb", rssMB, "MB", target: "< 128", meets: rssMB < 128)
        report.add("abuse.pipeline.sent_before_reading", Double(result.sentBeforeReading) / Double(request.count),
                   "requests", target: "", meets: nil)
        report.add("abuse.pipeline.responses", Double(result.intact), "responses",
                   target: "= \(pipelinedRequests) intact", meets: result.intact == pipelinedRequests)
    }
}

/// A fresh `billport serve` for one abuse measurement: only its data directory and port are
/// set (and any `overrides`), everything else is the default a user gets.
struct AbuseTarget {
    let billport: String
    let port: Int
    let dataDirectory: String
    /// The environment serve runs with, for other `billport` commands on the same data.
    let environment: [String: String]
    let pid: Int32
    private let server: HTTPBench.Server

    static func start(billport: String, dataDirectory: String, overrides: [String: String] = [:]) async throws -> AbuseTarget {
        try FileManager.default.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true)
        let port = try HTTPBench.freePort()
        var environment = HTTPBench.inheritedEnvironment()
        environment["BILLPORT_DATA_DIRECTORY"] = dataDirectory
        environment["BILLPORT_DATABASE_PATH"] = dataDirectory + "/billport.sqlite"
        environment["BILLPORT_HTTP_HOST"] = "127.0.0.1"
        environment["BILLPORT_HTTP_PORT"] = String(port)
        environment.merge(overrides) { _, override in override }
        let server = try await HTTPBench.Server.start(billport, ["serve"], environment: environment, port: port,
                                                      log: dataDirectory + "/serve.log")
        return AbuseTarget(billport: billport, port: port, dataDirectory: dataDirectory, environment: environment,
                           pid: server.process.processIdentifier, server: server)
    }

    /// Peak resident set of serve so far (`VmHWM`), in MB.
    func peakRSSMegabytes() throws -> Double {
        try HTTPBench.peakRSSMegabytes(pid: pid)
    }

    func stop() async {
        await server.stop()
    }
}

/// One non-blocking connection that pipelines a request many times, first without reading,
/// then reading every response (status and Content-Length framing checked against the first).
final class PipelinedConnection {
    struct Result {
        /// Bytes of requests the server had taken before the client read anything.
        var sentBeforeReading: Int
        /// Responses that arrived with status 200 and the first one's exact length.
        var intact: Int
    }

    private let fd: Int32

    init(port: Int) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw BenchFailure("socket(): \(String(cString: strerror(errno)))") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(truncatingIfNeeded: port).bigEndian)
        address.sin_addr.s_addr = in_addr_t(0x7f00_0001).bigEndian
        let connected = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
        guard connected else { throw BenchFailure("connect to 127.0.0.1:\(port): \(String(cString: strerror(errno)))") }
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
    }

    deinit { close(fd) }

    /// Sends `request` `count` times without reading until the socket takes nothing for
    /// `stall` or all is sent; then reads all `count` responses, sending the rest meanwhile.
    func run(request: [UInt8], count: Int, stall: Duration) throws -> Result {
        let total = request.count * count
        var sent = 0
        func sendSome() -> Bool {
            let offset = sent % request.count
            let batch = min(total - sent, 64 * 1024)
            var bytes = [UInt8]()
            bytes.reserveCapacity(batch + request.count)
            bytes += request[offset...]
            while bytes.count < batch { bytes += request }
            let written = bytes.withUnsafeBytes { send(fd, $0.baseAddress, min(batch, $0.count), Int32(MSG_NOSIGNAL)) }
            if written > 0 { sent += written }
            return written > 0
        }
        var lastProgress = ContinuousClock.now
        while sent < total && ContinuousClock.now - lastProgress < stall {
            var descriptor = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
            if poll(&descriptor, 1, 50) > 0, sendSome() { lastProgress = .now }
        }
        let sentBeforeReading = sent

        var buffer: [UInt8] = []
        var parsed = 0
        var responses = 0
        var intact = 0
        var expectedLength: Int?
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
        defer { chunk.deallocate() }
        lastProgress = .now
        while responses < count {
            guard ContinuousClock.now - lastProgress < .seconds(30) else {
                throw BenchFailure("no response for 30 s after \(responses) of \(count)")
            }
            var descriptor = pollfd(fd: fd, events: Int16(POLLIN) | (sent < total ? Int16(POLLOUT) : 0), revents: 0)
            guard poll(&descriptor, 1, 50) > 0 else { continue }
            if descriptor.revents & Int16(POLLOUT) != 0, sendSome() { lastProgress = .now }
            guard descriptor.revents & Int16(POLLIN | POLLHUP | POLLERR) != 0 else { continue }
            let received = read(fd, chunk.baseAddress, chunk.count)
            if received < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) { continue }
            guard received > 0 else { throw BenchFailure("connection closed after \(responses) of \(count) responses") }
            lastProgress = .now
            if parsed > 0 {
                buffer.removeSubrange(0..<parsed)
                parsed = 0
            }
            buffer.append(contentsOf: UnsafeRawBufferPointer(rebasing: chunk[0..<received]))
            while let (status, length, end) = Self.response(in: buffer, from: parsed) {
                if expectedLength == nil { expectedLength = length }
                if status == 200 && length == expectedLength { intact += 1 }
                responses += 1
                parsed = end
            }
        }
        return Result(sentBeforeReading: sentBeforeReading, intact: intact)
    }

    /// The status, body length and end of the complete response starting at `start`, or nil.
    static func response(in buffer: [UInt8], from start: Int) -> (status: Int, length: Int, end: Int)? {
        var index = start
        while index + 3 < buffer.count {
            if buffer[index] == 13 && buffer[index + 1] == 10 && buffer[index + 2] == 13 && buffer[index + 3] == 10 { break }
            index += 1
        }
        guard index + 3 < buffer.count else { return nil }
        let head = String(decoding: buffer[start..<index], as: UTF8.self)
        let lines = head.split(separator: "\r\n")
        guard let statusLine = lines.first, let status = Int(statusLine.dropFirst(9).prefix(3)) else { return nil }
        let length = lines.lazy.compactMap { line -> Int? in
            guard line.lowercased().hasPrefix("content-length:") else { return nil }
            return Int(line.dropFirst(15).trimmingCharacters(in: .whitespaces))
        }.first ?? 0
        let end = index + 4 + length
        return end <= buffer.count ? (status, length, end) : nil
    }
}
