/// A small HTTP/1.1 server on POSIX sockets: one I/O thread owns every socket, handlers run
/// as Tasks, and limits and timeouts make it safe to expose behind a reverse proxy.
///
/// Typical use: `let port = try server.start()`, later `await server.shutdown(gracePeriod:)`.
/// A server runs once; make a new one to listen again.
public final class HTTPServer: Sendable {
    private enum State {
        case idle
        case running(EventLoop, port: Int)
        case stopped
    }

    /// The configuration the server was made with.
    public let configuration: HTTPServerConfiguration
    private let handler: HTTPHandler
    private let state = Locked(State.idle)
    private let statisticsBox = Locked(HTTPServerStatistics())

    /// Makes a server that answers every request with `handler`; nothing listens until `start()`.
    public init(configuration: HTTPServerConfiguration = HTTPServerConfiguration(), handler: @escaping HTTPHandler) {
        self.configuration = configuration
        self.handler = handler
    }

    /// A server dropped while running stops at once rather than leaking its thread and port.
    deinit {
        state.withLock { state in
            if case .running(let loop, _) = state { loop.post(.shutdown(gracePeriod: .zero)) }
        }
    }

    /// Binds, listens and starts the I/O thread; returns the bound port, so tests can ask
    /// for port 0 and learn which one they got.
    @discardableResult
    public func start() throws(HTTPServerError) -> Int {
        try configuration.validate()
        let result: Result<Int, HTTPServerError> = state.withLock { state in
            guard case .idle = state else { return .failure(.alreadyStarted) }
            do throws(HTTPServerError) {
                let (fd, port) = try Socket.listen(host: configuration.host, port: configuration.port,
                                                   backlog: configuration.backlog)
                let loop: EventLoop
                do throws(HTTPServerError) {
                    loop = try EventLoop(configuration: configuration, handler: handler, listenFD: fd,
                                         statistics: statisticsBox)
                } catch {
                    Socket.close(fd)
                    throw error
                }
                loop.start()
                state = .running(loop, port: port)
                return .success(port)
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// The bound port while running, nil before `start()` and after shutdown.
    public var port: Int? {
        state.withLock { state in
            if case .running(_, let port) = state { return port }
            return nil
        }
    }

    /// What the server has held so far (see `HTTPServerStatistics`).
    public var statistics: HTTPServerStatistics {
        statisticsBox.withLock { $0 }
    }

    /// Stops accepting at once (new connections are refused), lets in-flight requests
    /// finish with `Connection: close`, closes idle keep-alive connections, and after
    /// `gracePeriod` closes whatever is left. Returns when every socket is closed.
    public func shutdown(gracePeriod: Duration = .seconds(10)) async {
        let loop: EventLoop? = state.withLock { state in
            defer { state = .stopped }
            if case .running(let loop, _) = state { return loop }
            return nil
        }
        guard let loop else { return }
        loop.post(.shutdown(gracePeriod: gracePeriod))
        await loop.waitUntilExited()
    }

    /// Runs as a service: starts if needed, serves until the calling task is cancelled,
    /// then shuts down gracefully within `gracePeriod`.
    public func run(gracePeriod: Duration = .seconds(10)) async throws {
        if port == nil { try start() }
        let loop: EventLoop? = state.withLock { state in
            if case .running(let loop, _) = state { return loop }
            return nil
        }
        guard let loop else { return }
        await withTaskCancellationHandler {
            await loop.waitUntilExited()
        } onCancel: {
            loop.post(.shutdown(gracePeriod: gracePeriod))
        }
        state.withLock { $0 = .stopped }
    }
}
