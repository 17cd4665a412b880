/// How an `HTTPClient` talks to servers, with defaults fit for a payment provider's API.
public struct HTTPClientConfiguration: Sendable, Equatable {
    /// How long the TCP (and TLS) handshake may take; a dead host fails fast instead of
    /// using up the whole request allowance.
    public var connectTimeout: Duration
    /// How long a whole exchange may take, connect included (curl's `CURLOPT_TIMEOUT_MS`).
    public var timeout: Duration
    /// The largest response body accepted; a bigger one fails with `.responseTooLarge`
    /// rather than filling memory.
    public var maxResponseBytes: Int
    /// Sent as `User-Agent` unless a request sets its own.
    public var userAgent: String
    /// When on, a body over `maxResponseBytes` is not an error: its first `maxResponseBytes`
    /// are kept, the rest is not read, and the response is returned (a webhook receiver's
    /// answer is kept for the log only).
    public var truncatesResponseBody: Bool

    /// Makes a configuration; every value has a production default.
    public init(connectTimeout: Duration = .seconds(10), timeout: Duration = .seconds(30),
                maxResponseBytes: Int = 16 << 20, userAgent: String = "Billport", truncatesResponseBody: Bool = false) {
        self.connectTimeout = connectTimeout
        self.timeout = timeout
        self.maxResponseBytes = maxResponseBytes
        self.userAgent = userAgent
        self.truncatesResponseBody = truncatesResponseBody
    }

    /// Checks every value once, when the client is made.
    func validate() throws(HTTPClientError) {
        func fail(_ message: String) -> HTTPClientError { HTTPClientError(kind: .invalidRequest, message: message) }
        guard connectTimeout > .zero else { throw fail("connectTimeout must be positive") }
        guard timeout > .zero else { throw fail("timeout must be positive") }
        guard maxResponseBytes > 0 else { throw fail("maxResponseBytes must be positive") }
        guard !userAgent.contains(where: \.isNewline) else { throw fail("userAgent must be one line") }
    }
}

extension Duration {
    /// Whole milliseconds, at least 1, for curl's `_MS` options (0 would mean "no limit").
    var curlMilliseconds: Int {
        let (seconds, attoseconds) = components
        return max(1, Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000))
    }
}
