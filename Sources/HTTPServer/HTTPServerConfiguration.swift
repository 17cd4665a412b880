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
    /// How long a response may go without any write progress (a peer that stops reading).
    public var writeTimeout: Duration
    /// How long to wait for the peer's FIN after a closing response before closing anyway.
    public var lingerTimeout: Duration
    /// The most connections served at once. Beyond it a connection is accepted, answered
    /// `503` with `Retry-After: 1` and closed, so a proxy can retry elsewhere at once
    /// instead of hanging in the listen backlog.
    public var maxConnections: Int
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
        lingerTimeout: Duration = .seconds(2),
        maxConnections: Int = 512,
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
        self.lingerTimeout = lingerTimeout
        self.maxConnections = maxConnections
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
                              ("lingerTimeout", lingerTimeout)] where value <= .zero {
            throw .invalidConfiguration("\(name) must be positive")
        }
        guard maxConnections > 0 else { throw .invalidConfiguration("maxConnections must be positive") }
        guard backlog > 0 else { throw .invalidConfiguration("backlog must be positive") }
    }

    /// The timeout allowances in the form the connection state machine takes.
    var timeoutLimits: ConnectionTimeouts<ContinuousClock.Instant>.Limits {
        .init(head: headReadTimeout, body: bodyReadTimeout, idle: idleTimeout,
              write: writeTimeout, linger: lingerTimeout)
    }
}
