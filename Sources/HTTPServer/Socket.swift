internal import Glibc

/// Thin wrappers over the POSIX socket calls the event loop makes; file descriptors never
/// leave the module.
enum Socket {
    /// The text of the current `errno`.
    static func errorMessage(_ code: Int32 = errno) -> String {
        String(cString: strerror(code))
    }

    /// Resolves `host`, then makes a non-blocking listening socket bound to it and returns
    /// the descriptor and the bound port (useful when asking for port 0).
    static func listen(host: String, port: Int, backlog: Int) throws(HTTPServerError) -> (fd: Int32, port: Int) {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &list)
        guard status == 0, let first = list else {
            throw .addressResolution(host: host, message: String(cString: gai_strerror(status)))
        }
        defer { freeaddrinfo(list) }
        let info = first.pointee
        let fd = socket(info.ai_family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw .socket(operation: "socket", message: errorMessage()) }
        var ok = true
        defer { if !ok { close(fd) } }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        guard bind(fd, info.ai_addr, info.ai_addrlen) == 0 else {
            ok = false
            throw .socket(operation: "bind \(host):\(port)", message: errorMessage())
        }
        guard Glibc.listen(fd, Int32(clamping: backlog)) == 0 else {
            ok = false
            throw .socket(operation: "listen", message: errorMessage())
        }
        guard setNonBlocking(fd) else {
            ok = false
            throw .socket(operation: "fcntl", message: errorMessage())
        }
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let named = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard named == 0 else {
            ok = false
            throw .socket(operation: "getsockname", message: errorMessage())
        }
        return (fd, address(of: storage).port)
    }

    enum AcceptResult {
        case accepted(fd: Int32, address: String)
        case wouldBlock
        /// Out of descriptors or memory: stop accepting for a moment.
        case exhausted(String)
        /// A per-connection failure (e.g. the peer reset before accept): try the next one.
        case skipped
    }

    /// Accepts one pending connection and prepares it: non-blocking, close-on-exec, no Nagle.
    static func accept(listener: Int32) -> AcceptResult {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let fd = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.accept(listener, $0, &length) }
        }
        guard fd >= 0 else {
            let code = errno
            switch code {
            case EAGAIN, EWOULDBLOCK: return .wouldBlock
            case EMFILE, ENFILE, ENOBUFS, ENOMEM: return .exhausted(errorMessage(code))
            default: return .skipped
            }
        }
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        guard setNonBlocking(fd) else {
            close(fd)
            return .skipped
        }
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        return .accepted(fd: fd, address: address(of: storage).host)
    }

    static func setNonBlocking(_ fd: Int32) -> Bool {
        let flags = fcntl(fd, F_GETFL)
        return flags >= 0 && fcntl(fd, F_SETFL, flags | O_NONBLOCK) == 0
    }

    /// The numeric host and the port of a socket address.
    static func address(of storage: sockaddr_storage) -> (host: String, port: Int) {
        var storage = storage
        var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN) + 1)
        return withUnsafePointer(to: &storage) { pointer in
            switch Int32(pointer.pointee.ss_family) {
            case AF_INET:
                return pointer.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { v4 in
                    var address = v4.pointee.sin_addr
                    inet_ntop(AF_INET, &address, &text, socklen_t(text.count))
                    return (string(text), Int(UInt16(bigEndian: v4.pointee.sin_port)))
                }
            case AF_INET6:
                return pointer.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { v6 in
                    var address = v6.pointee.sin6_addr
                    inet_ntop(AF_INET6, &address, &text, socklen_t(text.count))
                    return (string(text), Int(UInt16(bigEndian: v6.pointee.sin6_port)))
                }
            default:
                return ("", 0)
            }
        }
    }

    private static func string(_ text: [CChar]) -> String {
        String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    enum IOResult {
        case bytes(Int)
        case wouldBlock
        case closed
        case failed(Int32)
    }

    /// One non-blocking read into `buffer`.
    static func read(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer) -> IOResult {
        while true {
            let count = Glibc.read(fd, buffer.baseAddress, buffer.count)
            if count > 0 { return .bytes(count) }
            if count == 0 { return .closed }
            let code = errno
            if code == EINTR { continue }
            return (code == EAGAIN || code == EWOULDBLOCK) ? .wouldBlock : .failed(code)
        }
    }

    /// One non-blocking write; MSG_NOSIGNAL turns a dead peer into EPIPE instead of SIGPIPE.
    static func write(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> IOResult {
        while true {
            let count = send(fd, bytes.baseAddress, bytes.count, Int32(MSG_NOSIGNAL))
            if count >= 0 { return .bytes(count) }
            let code = errno
            if code == EINTR { continue }
            return (code == EAGAIN || code == EWOULDBLOCK) ? .wouldBlock : .failed(code)
        }
    }

    /// Sends FIN while still reading, for a lingering close (RFC 9112 §9.6).
    static func shutdownWrite(_ fd: Int32) {
        _ = Glibc.shutdown(fd, Int32(SHUT_WR))
    }

    static func close(_ fd: Int32) {
        _ = Glibc.close(fd)
    }

    /// A non-blocking, close-on-exec pipe used to wake the poll loop from other threads.
    static func makeWakePipe() throws(HTTPServerError) -> (read: Int32, write: Int32) {
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { throw .socket(operation: "pipe", message: errorMessage()) }
        for fd in fds {
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            _ = setNonBlocking(fd)
        }
        return (fds[0], fds[1])
    }
}
