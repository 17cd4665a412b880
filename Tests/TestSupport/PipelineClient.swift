import Foundation
import Glibc

/// A non-blocking TCP client for abuse tests: it pipelines many requests without reading,
/// then reads every response off the wire, sending what is left as the server takes it.
/// Its calls block in `poll(2)`: run them through `PipelineClient.offload`, never on Swift's
/// cooperative pool, whose few threads the server's handlers and other tests need.
public final class PipelineClient: @unchecked Sendable {
    /// Runs blocking client work on a thread of its own and returns its result.
    public static func offload<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue(label: "PipelineClient").async { continuation.resume(with: Result { try work() }) }
        }
    }

    /// One response as framed by Content-Length.
    public struct Response: Sendable {
        public var status: Int
        public var body: [UInt8]
        public var text: String { String(decoding: body, as: UTF8.self) }
    }

    private let fd: Int32
    private var outgoing: [UInt8] = []
    private var sent = 0
    private var incoming: [UInt8] = []
    private var parsed = 0
    /// One read's worth, reused: reads may be small and many.
    private let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 256 * 1024, alignment: 16)

    /// Connects to 127.0.0.1:`port` from `localAddress` (any 127/8 address on Linux), with a
    /// receive buffer of `receiveBufferBytes` when given (small buffers make the server's
    /// back-pressure show up sooner).
    public init(port: Int, from localAddress: String = "127.0.0.1", receiveBufferBytes: Int32? = nil) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw RawClientError(description: "socket: \(errno)") }
        if var size = receiveBufferBytes {
            setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        }
        var local = sockaddr_in()
        local.sin_family = sa_family_t(AF_INET)
        local.sin_addr.s_addr = inet_addr(localAddress)
        var remote = sockaddr_in()
        remote.sin_family = sa_family_t(AF_INET)
        remote.sin_port = UInt16(port).bigEndian
        remote.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &local) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        let connected = withUnsafePointer(to: &remote) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, connected == 0 else {
            let message = String(cString: strerror(errno))
            // deinit runs for a fully initialised object whose init throws; it closes fd.
            throw RawClientError(description: "connect from \(localAddress): \(message)")
        }
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
    }

    deinit {
        Glibc.close(fd)
        chunk.deallocate()
    }

    /// Bytes queued by `enqueue` that the socket has not taken yet.
    public var unsentByteCount: Int { outgoing.count - sent }

    /// Queues bytes to send; nothing is sent until `sendUntilStalled` or `readResponses`.
    public func enqueue(_ bytes: [UInt8]) {
        outgoing.append(contentsOf: bytes)
    }

    /// Sends queued bytes without reading until all are sent or the socket has taken nothing
    /// for `stall` (the server stopped reading). Returns how many bytes were sent in all.
    @discardableResult
    public func sendUntilStalled(stall: Duration) -> Int {
        var lastProgress = ContinuousClock.now
        while sent < outgoing.count && ContinuousClock.now - lastProgress < stall {
            var descriptor = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
            guard poll(&descriptor, 1, 20) > 0 else { continue }
            if sendSome() > 0 { lastProgress = .now }
        }
        return sent
    }

    /// Reads `count` responses in order, sending whatever is still queued as the socket takes
    /// it. Throws if the connection closes or nothing arrives for `timeout`.
    public func readResponses(_ count: Int, timeout: Duration = .seconds(10)) throws -> [Response] {
        var responses: [Response] = []
        responses.reserveCapacity(count)
        var lastProgress = ContinuousClock.now
        while responses.count < count {
            while responses.count < count, let response = try nextResponse() {
                responses.append(response)
            }
            if responses.count == count { break }
            guard ContinuousClock.now - lastProgress < timeout else {
                throw RawClientError(description: "no response for \(timeout) after \(responses.count) of \(count)")
            }
            var descriptor = pollfd(fd: fd, events: Int16(POLLIN) | (sent < outgoing.count ? Int16(POLLOUT) : 0), revents: 0)
            guard poll(&descriptor, 1, 20) > 0 else { continue }
            if descriptor.revents & Int16(POLLOUT) != 0, sendSome() > 0 { lastProgress = .now }
            if descriptor.revents & Int16(POLLIN | POLLHUP | POLLERR) != 0 {
                guard try receiveSome() else {
                    throw RawClientError(description: "closed after \(responses.count) of \(count) responses")
                }
                lastProgress = .now
            }
        }
        return responses
    }

    /// Reads and drops at most `bytes` now: how many it read (0 if none were there), or nil
    /// once the server has closed (or reset) the connection.
    public func readSome(upTo bytes: Int) -> Int? {
        var chunk = [UInt8](repeating: 0, count: bytes)
        let count = Glibc.read(fd, &chunk, bytes)
        if count > 0 { return count }
        if count < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) { return 0 }
        return nil
    }

    /// Sends `GET path` and reads its response's status.
    public func status(of path: String) throws -> Int {
        enqueue(Array("GET \(path) HTTP/1.1\r\nHost: a\r\n\r\n".utf8))
        return try readResponses(1, timeout: .seconds(5))[0].status
    }

    /// Reads and drops input until the server closes (true) or `timeout` passes (false).
    public func waitForClose(timeout: Duration) -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&descriptor, 1, 20) > 0 else { continue }
            if readSome(upTo: 64 * 1024) == nil { return true }
        }
        return false
    }

    private func sendSome() -> Int {
        let count = outgoing[sent...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        if count > 0 { sent += count }
        if sent == outgoing.count {
            outgoing = []
            sent = 0
        }
        return max(0, count)
    }

    /// Appends what the socket has; false on EOF or reset.
    private func receiveSome() throws -> Bool {
        let count = Glibc.read(fd, chunk.baseAddress, chunk.count)
        if count > 0 {
            if parsed > 0 && parsed * 2 >= incoming.count {
                incoming.removeSubrange(0..<parsed)
                parsed = 0
            }
            incoming.append(contentsOf: UnsafeRawBufferPointer(rebasing: chunk[0..<count]))
            return true
        }
        if count < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) { return true }
        return false
    }

    /// The next complete response in `incoming`, or nil until more bytes arrive. Scans bytes
    /// rather than making strings: tests read a hundred thousand of these.
    private func nextResponse() throws -> Response? {
        let framed = try incoming.withUnsafeBufferPointer { bytes throws -> (status: Int, body: Range<Int>)? in
            var end = parsed
            while end + 3 < bytes.count
                    && !(bytes[end] == 13 && bytes[end + 1] == 10 && bytes[end + 2] == 13 && bytes[end + 3] == 10) {
                end += 1
            }
            guard end + 3 < bytes.count else { return nil }
            let head = UnsafeBufferPointer(rebasing: bytes[parsed..<end])
            guard head.starts(with: "HTTP/1.1 ".utf8), head.count >= 12,
                  let status = Int(String(decoding: head[9..<12], as: UTF8.self)) else {
                throw RawClientError(description: "bad status line: \(String(decoding: head.prefix(40), as: UTF8.self))")
            }
            let length = Self.contentLength(in: head)
            let bodyStart = end + 4
            guard bytes.count - bodyStart >= length else { return nil }
            return (status, bodyStart..<(bodyStart + length))
        }
        guard let framed else { return nil }
        parsed = framed.body.upperBound
        return Response(status: framed.status, body: Array(incoming[framed.body]))
    }

    /// The value of the Content-Length field of a response head, 0 when absent.
    private static func contentLength(in head: UnsafeBufferPointer<UInt8>) -> Int {
        let name = Array("\ncontent-length:".utf8)
        var index = 0
        while index + name.count <= head.count {
            var matches = true
            for offset in 0..<name.count where head[index + offset] | 0x20 != name[offset] | 0x20 {
                matches = false
                break
            }
            if matches {
                var value = 0
                var digit = index + name.count
                while digit < head.count && head[digit] == 32 { digit += 1 }
                while digit < head.count, head[digit] >= 48, head[digit] <= 57 {
                    value = value * 10 + Int(head[digit] - 48)
                    digit += 1
                }
                return value
            }
            index += 1
        }
        return 0
    }
}
