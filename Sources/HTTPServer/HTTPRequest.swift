import BillportCore

/// One decoded query parameter; both parts are percent-decoded and `+` is read as a space.
public struct HTTPQueryItem: Sendable, Hashable {
    /// The parameter name.
    public var name: String
    /// The parameter value; empty when the item had no `=`.
    public var value: String

    /// Makes a query item.
    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

/// A complete request as the parser framed it, handed to the application's handler.
public struct HTTPRequest: Sendable {
    /// The request method.
    public var method: HTTPMethod
    /// The request-target exactly as received (RFC 9112 §3.2), for logging.
    public var target: String
    /// The path, still percent-encoded and not normalised, so routers decide how to decode
    /// segments (decoding first would turn `%2F` into a separator).
    public var path: String
    /// The raw query after `?`, without the `?`; nil when the target had none.
    public var query: String?
    /// The query split on `&` and percent-decoded, in order, duplicates kept.
    public var queryItems: [HTTPQueryItem]
    /// The header fields in arrival order.
    public var headers: HTTPHeaders
    /// The body after transfer decoding; empty when the request had none.
    public var body: [UInt8]
    /// The protocol version the client spoke.
    public var version: HTTPVersion
    /// The peer's IP address (no port); behind a proxy this is the proxy's address.
    public var remoteAddress: String
    /// Whether the connection stays open after the response (RFC 9112 §9.3).
    public var keepAlive: Bool

    /// Makes a request, mainly for calling handlers directly in tests.
    public init(
        method: HTTPMethod,
        path: String,
        query: String? = nil,
        headers: HTTPHeaders = [:],
        body: [UInt8] = [],
        version: HTTPVersion = .http1_1,
        remoteAddress: String = "",
        keepAlive: Bool = true
    ) {
        self.method = method
        self.target = query.map { "\(path)?\($0)" } ?? path
        self.path = path
        self.query = query
        self.queryItems = query.map(HTTPSyntax.parseQuery) ?? []
        self.headers = headers
        self.body = body
        self.version = version
        self.remoteAddress = remoteAddress
        self.keepAlive = keepAlive
    }

    /// The first decoded value of the query parameter `name`, if present.
    public func queryValue(_ name: String) -> String? {
        queryItems.first { $0.name == name }?.value
    }

    /// The first field `name` of an `application/x-www-form-urlencoded` body (what an HTML form
    /// posts), decoded like a query; nil for other content types.
    public func formValue(_ name: String) -> String? {
        guard headers["Content-Type"]?.lowercased().hasPrefix("application/x-www-form-urlencoded") == true else { return nil }
        return HTTPSyntax.parseQuery(String(decoding: body, as: UTF8.self)).first { $0.name == name }?.value
    }
}
