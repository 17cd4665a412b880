/// Everything the server needs to know, with defaults for a service behind a reverse proxy.
public struct HTTPServerConfiguration: Sendable {
    /// The address to listen on: an IPv4 or IPv6 literal or a host name.
    public var host: String
    /// The TCP port; 0 asks the system for a free one (see `HTTPServer.start()`).
    public var port: Int
    /// Request size limits.
    public var limits: HTTPParserLimits
    /// How long a request head may take from its first byte; also how long a new
    /// connection may stay silent. Defeats slowloris. A partial head that runs out of time
    /// is answered `408 Request Timeout` and closed; a silent connection is just closed.
    public var headReadTimeout: Duration
    /// How long a request body may take from the end of its head (or from the
    /// `100 Continue`); a body that runs out of time is answered `408` and closed.
    public var bodyReadTimeout: Duration
    /// How long a kept-alive connection may wait for its next request; it is then closed
    /// without a response, since no request was started.
    public var idleTimeout: Duration
    /// The write-progress window: a response that writes fewer than `writeMinimumBytes`
    /// (or less than all that was pending) within one window is closed, so a peer that stops
    /// reading, or reads a byte at a time, cannot hold the connection.
    public var writeTimeout: Duration
    /// Bytes a response must make progress by in each `writeTimeout` window.
    public var writeMinimumBytes: Int
    /// How long to wait for the peer's FIN after a closing response before closing anyway.
    public var lingerTimeout: Duration
    /// The most connections served at once. Beyond it a connection is accepted, answered
    /// `503` with `Retry-After: 1` and closed, so a proxy can retry elsewhere at once
    /// instead of hanging in the listen backlog.
    public var maxConnections: Int
    /// The most connections served at once from one peer address (the socket's, not
    /// `X-Forwarded-For`); beyond it a new connection from that address gets `503` like one
    /// over `maxConnections`. Behind a reverse proxy every connection has the proxy's
    /// address, so raise it to `maxConnections` there.
    public var maxConnectionsPerAddress: Int
    /// The fraction of `maxConnections` at which the server counts as near capacity and
    /// gives waiting connections only `nearCapacityIdleTimeout`; it leaves that state
    /// below three quarters of this fraction, so it does not flap.
    public var nearCapacityFraction: Double
    /// How long a connection may wait for a request (idle kept-alive or new and silent)
    /// while the server is near capacity.
    public var nearCapacityIdleTimeout: Duration
    /// Unsent output above which a connection stops being read and its pipelined requests
    /// stop being answered, until the peer has read it down to `outputLowWaterMark`.
    public var outputHighWaterMark: Int
    /// Unsent output at or below which a paused connection resumes.
    public var outputLowWaterMark: Int
    /// Input one connection may hold beyond the request being answered: unparsed bytes plus
    /// parsed pipelined requests not yet dispatched. At it, reading pauses. (A request body
    /// being received is bounded separately by `limits.maxBodyBytes`.)
    public var maxBufferedInputBytes: Int
    /// The listen backlog passed to `listen(2)`.
    public var backlog: Int
    /// Where to send one-line diagnostics (refused requests, socket errors); nil is silent.
    public var log: (@Sendable (String) -> Void)?

    /// Makes a configuration; every value has a production default.
    public init(
        host: String = "127.0.0.1",
        port: Int = 8080,
        limits: HTTPParserLimits = HTTPParserLimits(),
        headReadTimeout: Duration = .seconds(10),
        bodyReadTimeout: Duration = .seconds(30),
        idleTimeout: Duration = .seconds(60),
        writeTimeout: Duration = .seconds(30),
        writeMinimumBytes: Int = 64 * 1024,
        lingerTimeout: Duration = .seconds(2),
        maxConnections: Int = 512,
        maxConnectionsPerAddress: Int = 64,
        nearCapacityFraction: Double = 0.875,
        nearCapacityIdleTimeout: Duration = .seconds(2),
        outputHighWaterMark: Int = 256 * 1024,
        outputLowWaterMark: Int = 64 * 1024,
        maxBufferedInputBytes: Int = 64 * 1024,
        backlog: Int = 512,
        log: (@Sendable (String) -> Void)? = nil
    ) {
        self.host = host
        self.port = port
        self.limits = limits
        self.headReadTimeout = headReadTimeout
        self.bodyReadTimeout = bodyReadTimeout
        self.idleTimeout = idleTimeout
        self.writeTimeout = writeTimeout
        self.writeMinimumBytes = writeMinimumBytes
        self.lingerTimeout = lingerTimeout
        self.maxConnections = maxConnections
        self.maxConnectionsPerAddress = maxConnectionsPerAddress
        self.nearCapacityFraction = nearCapacityFraction
        self.nearCapacityIdleTimeout = nearCapacityIdleTimeout
        self.outputHighWaterMark = outputHighWaterMark
        self.outputLowWaterMark = outputLowWaterMark
        self.maxBufferedInputBytes = maxBufferedInputBytes
        self.backlog = backlog
        self.log = log
    }

    /// Checks every value once, at start, so a bad config fails loudly instead of at runtime.
    func validate() throws(HTTPServerError) {
        if let problem = limits.problem { throw .invalidConfiguration(problem) }
        guard (0...65535).contains(port) else { throw .invalidConfiguration("port must be 0...65535") }
        guard !host.isEmpty else { throw .invalidConfiguration("host must not be empty") }
        for (name, value) in [("headReadTimeout", headReadTimeout), ("bodyReadTimeout", bodyReadTimeout),
                              ("idleTimeout", idleTimeout), ("writeTimeout", writeTimeout),
                              ("lingerTimeout", lingerTimeout), ("nearCapacityIdleTimeout", nearCapacityIdleTimeout)]
            where value <= .zero {
            throw .invalidConfiguration("\(name) must be positive")
        }
        guard maxConnections > 0 else { throw .invalidConfiguration("maxConnections must be positive") }
        guard maxConnectionsPerAddress > 0 else { throw .invalidConfiguration("maxConnectionsPerAddress must be positive") }
        guard nearCapacityFraction > 0 && nearCapacityFraction <= 1 else {
            throw .invalidConfiguration("nearCapacityFraction must be in (0, 1]")
        }
        guard writeMinimumBytes > 0 else { throw .invalidConfiguration("writeMinimumBytes must be positive") }
        guard outputLowWaterMark >= 0 && outputLowWaterMark < outputHighWaterMark else {
            throw .invalidConfiguration("outputLowWaterMark must be at least 0 and below outputHighWaterMark")
        }
        guard maxBufferedInputBytes > 0 else { throw .invalidConfiguration("maxBufferedInputBytes must be positive") }
        guard backlog > 0 else { throw .invalidConfiguration("backlog must be positive") }
    }

    /// The timeout allowances in the form the connection state machine takes.
    var timeoutLimits: ConnectionTimeouts<ContinuousClock.Instant>.Limits {
        .init(head: headReadTimeout, body: bodyReadTimeout, idle: idleTimeout,
              write: writeTimeout, linger: lingerTimeout, writeMinimumBytes: writeMinimumBytes,
              nearCapacityIdle: nearCapacityIdleTimeout)
    }

    /// The memory bounds of one connection, in the form `Connection` takes.
    var connectionBudget: ConnectionBudget {
        ConnectionBudget(outputHighWater: outputHighWaterMark, outputLowWater: outputLowWaterMark,
                         maxBufferedInput: maxBufferedInputBytes)
    }

    /// Served connections at which the server counts as near capacity, and below which it
    /// no longer does.
    var nearCapacityBand: (enter: Int, leave: Int) {
        let enter = max(1, Int((Double(maxConnections) * nearCapacityFraction).rounded(.up)))
        let leave = max(1, Int((Double(maxConnections) * nearCapacityFraction * 0.75).rounded(.up)))
        return (enter, min(leave, enter))
    }
}
