import Dispatch
import Foundation
import Glibc

/// A response as read off the wire by `RawClient`, kept close to the bytes so tests can
/// check framing exactly.
public struct RawResponse: Sendable {
    public var status: Int
    public var reason: String
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    public func headerValues(_ name: String) -> [String] {
        headers.filter { $0.name.lowercased() == name.lowercased() }.map(\.value)
    }

    public var text: String { String(decoding: body, as: UTF8.self) }
}

public struct RawClientError: Error, CustomStringConvertible {
    public var description: String
}

/// A blocking TCP client for live tests: sends exact bytes and reads exact responses.
/// Its blocking calls run on a private serial queue, never on Swift's cooperative pool,
/// whose few threads the server's handlers need.
public final class RawClient: @unchecked Sendable {
    private let fd: Int32
    private let queue = DispatchQueue(label: "RawClient")
    private var buffered: [UInt8] = []

    public init(port: Int) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw RawClientError(description: "socket: \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard result == 0 else {
            let code = errno
            // deinit runs for a fully initialised object whose init throws; it closes fd.
            throw RawClientError(description: "connect: \(String(cString: strerror(code)))")
        }
    }

    private var closed = false

    deinit { close() }

    /// Closes the socket, as a real client does once it has read the server's FIN.
    public func close() {
        guard !closed else { return }
        closed = true
        Glibc.close(fd)
    }

    /// Runs blocking work on the client's own queue.
    private func offload<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async { continuation.resume(with: Result { try work() }) }
        }
    }

    public func send(_ text: String) async throws {
        try await send(Array(text.utf8))
    }

    public func send(_ bytes: [UInt8]) async throws {
        try await offload { try self.sendBlocking(bytes) }
    }

    private func sendBlocking(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let count = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard count > 0 else { throw RawClientError(description: "send failed: \(errno)") }
            offset += count
        }
    }

    /// Half-closes the sending side.
    public func shutdownWrite() { Glibc.shutdown(fd, Int32(SHUT_WR)) }

    /// Reads one response (skipping nothing: a 100 Continue is returned as a response).
    /// `headRequest` says the body is absent whatever Content-Length says.
    public func readResponse(headRequest: Bool = false, timeout: Duration = .seconds(5)) async throws -> RawResponse {
        try await offload { try self.readResponseBlocking(headRequest: headRequest, timeout: timeout) }
    }

    /// Waits until the server closes the connection; true if it did within `timeout`.
    /// Bytes received meanwhile are returned through `readAll` semantics and dropped here.
    public func waitForClose(timeout: Duration) async throws -> Bool {
        try await offload { self.waitForCloseBlocking(timeout: timeout) }
    }

    /// Reads everything until the server closes, or until `timeout`.
    public func readToEnd(timeout: Duration = .seconds(5)) async throws -> [UInt8] {
        try await offload {
            let deadline = ContinuousClock.now.advanced(by: timeout)
            while try self.fill(deadline: deadline) {}
            defer { self.buffered = [] }
            return self.buffered
        }
    }

    private func waitForCloseBlocking(timeout: Duration) -> Bool {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        do {
            while try fill(deadline: deadline) {}
            return true
        } catch {
            return false
        }
    }

    /// Reads more bytes into the buffer; false on EOF (or reset), throws on timeout.
    private func fill(deadline: ContinuousClock.Instant) throws -> Bool {
        let remaining = ContinuousClock.now.duration(to: deadline)
        guard remaining > .zero else { throw RawClientError(description: "timed out") }
        var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        let milliseconds = Int32(remaining.components.seconds * 1000 + remaining.components.attoseconds / 1_000_000_000_000_000 + 1)
        let ready = poll(&descriptor, 1, milliseconds)
        guard ready > 0 else { throw RawClientError(description: "timed out") }
        var chunk = [UInt8](repeating: 0, count: 65536)
        let count = Glibc.read(fd, &chunk, chunk.count)
        if count <= 0 { return false }
        buffered.append(contentsOf: chunk[0..<count])
        return true
    }

    private func readLine(deadline: ContinuousClock.Instant) throws -> String {
        while true {
            if let index = buffered.firstIndex(of: 0x0A), index > 0, buffered[index - 1] == 0x0D {
                let line = String(decoding: buffered[0..<(index - 1)], as: UTF8.self)
                buffered.removeFirst(index + 1)
                return line
            }
            guard try fill(deadline: deadline) else { throw RawClientError(description: "closed mid-line") }
        }
    }

    private func readResponseBlocking(headRequest: Bool, timeout: Duration) throws -> RawResponse {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        let statusLine = try readLine(deadline: deadline)
        let parts = statusLine.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count >= 2, parts[0] == "HTTP/1.1", let status = Int(parts[1]) else {
            throw RawClientError(description: "bad status line: \(statusLine)")
        }
        var response = RawResponse(status: status, reason: parts.count > 2 ? String(parts[2]) : "", headers: [], body: [])
        while true {
            let line = try readLine(deadline: deadline)
            if line.isEmpty { break }
            guard let colon = line.firstIndex(of: ":") else { throw RawClientError(description: "bad header: \(line)") }
            response.headers.append((String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
        }
        if status < 200 || status == 204 || status == 304 || headRequest { return response }
        guard let lengthText = response.header("Content-Length"), let length = Int(lengthText) else {
            throw RawClientError(description: "response without Content-Length")
        }
        while buffered.count < length {
            guard try fill(deadline: deadline) else { throw RawClientError(description: "closed mid-body") }
        }
        response.body = Array(buffered[0..<length])
        buffered.removeFirst(length)
        return response
    }
}
