import BillportCore

/// One request to send: method, absolute URL, header fields and body bytes.
public struct HTTPClientRequest: Sendable, Equatable {
    /// A request method; an open set, so it is a struct over its token.
    public struct Method: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        /// The token sent on the request line.
        public let rawValue: String
        /// Wraps a method token (`"PROPFIND"`).
        public init(rawValue: String) { self.rawValue = rawValue }

        /// Reads; never carries a body here.
        public static let get = Method(rawValue: "GET")
        /// GET without the body.
        public static let head = Method(rawValue: "HEAD")
        /// Creates; always sends a body (possibly empty) with its length.
        public static let post = Method(rawValue: "POST")
        /// Replaces.
        public static let put = Method(rawValue: "PUT")
        /// Updates in part.
        public static let patch = Method(rawValue: "PATCH")
        /// Deletes.
        public static let delete = Method(rawValue: "DELETE")

        /// The token.
        public var description: String { rawValue }
    }

    /// The method.
    public var method: Method
    /// The absolute `http` or `https` URL, already percent-encoded.
    public var url: String
    /// Header fields to send; `Content-Length` and `Host` are computed and must not be set.
    public var headers: HTTPHeaders
    /// The body; sent (with its length) whenever it is non-empty or the method is POST.
    public var body: [UInt8]
    /// When set, the URL's host connects only to these addresses, never to what a new DNS
    /// answer says: the addresses a destination check approved stay the ones connected to.
    public var pinnedAddresses: PinnedAddresses?

    /// A host and port and the only addresses a connection to them may use.
    public struct PinnedAddresses: Sendable, Equatable {
        public let host: String
        public let port: Int
        public let addresses: [IPAddress]

        public init(host: String, port: Int, addresses: [IPAddress]) {
            self.host = host
            self.port = port
            self.addresses = addresses
        }

        /// The `CURLOPT_RESOLVE` entry: `host:port:a.b.c.d,[v6]`.
        var curlEntry: String {
            "\(host):\(port):" + addresses.map { $0.isIPv4 ? $0.description : "[\($0)]" }.joined(separator: ",")
        }
    }

    /// Makes a request.
    public init(method: Method = .get, url: String, headers: HTTPHeaders = [:], body: [UInt8] = [],
                pinnedAddresses: PinnedAddresses? = nil) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.pinnedAddresses = pinnedAddresses
    }

    /// What is wrong with the request before any byte is sent, nil when it can be sent.
    /// Refuses CR, LF and NUL in names, values and the URL (header injection).
    var problem: String? {
        func unsafe(_ text: String) -> Bool { text.utf8.contains { $0 == 13 || $0 == 10 || $0 == 0 } }
        let lowercasedURL = url.lowercased()
        guard lowercasedURL.hasPrefix("http://") || lowercasedURL.hasPrefix("https://") else {
            return "the URL must be absolute http or https"
        }
        if unsafe(url) || url.contains(" ") { return "the URL contains a space or a control character" }
        guard !method.rawValue.isEmpty, method.rawValue.utf8.allSatisfy({ $0 > 32 && $0 < 127 }) else {
            return "the method is not a token"
        }
        for field in headers {
            if field.name.isEmpty || field.name.contains(":") || field.name.contains(" ") || unsafe(field.name) {
                return "header name \"\(field.name)\" is not a token"
            }
            if unsafe(field.value) { return "header \(field.name) contains a control character" }
            if ["content-length", "host", "transfer-encoding"].contains(field.name.lowercased()) {
                return "header \(field.name) is computed by the client"
            }
        }
        if let pin = pinnedAddresses {
            if pin.addresses.isEmpty { return "pinned addresses are empty" }
            if pin.host.isEmpty || pin.host.contains(where: { $0 == ":" || $0 == "," || $0.isWhitespace || $0.isNewline }) {
                return "the pinned host is not a host name"
            }
        }
        return nil
    }
}
