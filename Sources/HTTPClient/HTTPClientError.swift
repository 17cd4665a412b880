/// Why a request got no response: the kind (for decisions) and curl's own message (for people).
///
/// An HTTP error status is not an `HTTPClientError`: a 4xx or 5xx is a response, returned as
/// one. The message names the host at most; it never holds request headers or bodies, so an
/// `Authorization` header cannot leak through it.
public struct HTTPClientError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A class of failure. An open set (curl grows), so a struct over a private enum: new kinds
    /// break no caller's `switch`.
    public struct Kind: Sendable, Hashable, CustomStringConvertible {
        private enum Value: String, Sendable {
            case couldNotResolveHost = "could not resolve host"
            case connectionRefused = "connection refused"
            case couldNotConnect = "could not connect"
            case timedOut = "timed out"
            case tls = "TLS failure"
            case connectionLost = "connection lost"
            case responseTooLarge = "response too large"
            case invalidRequest = "invalid request"
            case other = "failed"
        }

        private let value: Value
        private init(_ value: Value) { self.value = value }

        /// DNS gave no address for the host.
        public static let couldNotResolveHost = Kind(.couldNotResolveHost)
        /// The host answered the connect with a reset: nothing listens on the port.
        public static let connectionRefused = Kind(.connectionRefused)
        /// The connect failed otherwise (unreachable network, connect timeout).
        public static let couldNotConnect = Kind(.couldNotConnect)
        /// The connect or total allowance ran out.
        public static let timedOut = Kind(.timedOut)
        /// The TLS handshake failed or the peer's certificate did not verify.
        public static let tls = Kind(.tls)
        /// The connection broke while sending or receiving, or closed with no response.
        public static let connectionLost = Kind(.connectionLost)
        /// The body exceeded `HTTPClientConfiguration.maxResponseBytes`.
        public static let responseTooLarge = Kind(.responseTooLarge)
        /// The request or configuration was refused before sending (bad URL, header injection).
        public static let invalidRequest = Kind(.invalidRequest)
        /// Anything else curl reports.
        public static let other = Kind(.other)

        /// `connection refused`, `timed out`, …
        public var description: String { value.rawValue }

        /// Whether trying again later may succeed: the network or the server, not the request,
        /// was at fault. Whether it is *safe* to retry is the caller's call (idempotency keys).
        public var isTransient: Bool {
            switch value {
            case .couldNotResolveHost, .connectionRefused, .couldNotConnect, .timedOut, .connectionLost: true
            case .tls, .responseTooLarge, .invalidRequest, .other: false
            }
        }
    }

    /// The class of failure.
    public let kind: Kind
    /// curl's message (its error buffer, else `curl_easy_strerror`), or the client's own.
    public let message: String
    /// curl's `CURLcode`, nil when the client refused the request itself.
    public let curlCode: Int?

    /// Makes an error.
    public init(kind: Kind, message: String, curlCode: Int? = nil) {
        self.kind = kind
        self.message = message
        self.curlCode = curlCode
    }

    /// Shorthand for `kind.isTransient`.
    public var isTransient: Bool { kind.isTransient }

    /// `HTTP request failed (connection refused): Failed to connect to 127.0.0.1 port 9 … [curl 7]`.
    public var description: String {
        "HTTP request failed (\(kind)): \(message)" + (curlCode.map { " [curl \($0)]" } ?? "")
    }
}
