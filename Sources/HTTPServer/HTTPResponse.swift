import BillportCore

/// What a handler answers; the server adds framing (`Content-Length`, `Connection`, `Date`).
public struct HTTPResponse: Sendable {
    /// The status code, 200–599; anything else is replaced by a 500 on the wire.
    public var status: Int
    /// The reason phrase; defaults to the standard phrase for `status`.
    public var reason: String
    /// Header fields; framing fields (`Content-Length`, `Transfer-Encoding`, `Connection`)
    /// are owned by the server and rewritten, and a `Connection: close` here is honoured.
    public var headers: HTTPHeaders
    /// The body; dropped on the wire for HEAD requests and 204/304 responses.
    public var body: [UInt8]

    /// Makes a response with raw bytes.
    public init(status: Int = 200, reason: String? = nil, headers: HTTPHeaders = [:], body: [UInt8] = []) {
        self.status = status
        self.reason = reason ?? HTTPResponse.reasonPhrase(for: status)
        self.headers = headers
        self.body = body
    }

    /// Makes a response with a UTF-8 text body.
    public init(status: Int = 200, reason: String? = nil, headers: HTTPHeaders = [:], text: String) {
        self.init(status: status, reason: reason, headers: headers, body: Array(text.utf8))
    }

    /// The standard reason phrase for a status code (RFC 9110 §15), or an empty string.
    public static func reasonPhrase(for status: Int) -> String {
        switch status {
        case 100: "Continue"
        case 200: "OK"
        case 201: "Created"
        case 202: "Accepted"
        case 204: "No Content"
        case 206: "Partial Content"
        case 301: "Moved Permanently"
        case 302: "Found"
        case 303: "See Other"
        case 304: "Not Modified"
        case 307: "Temporary Redirect"
        case 308: "Permanent Redirect"
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 402: "Payment Required"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 406: "Not Acceptable"
        case 408: "Request Timeout"
        case 409: "Conflict"
        case 410: "Gone"
        case 411: "Length Required"
        case 412: "Precondition Failed"
        case 413: "Content Too Large"
        case 414: "URI Too Long"
        case 415: "Unsupported Media Type"
        case 416: "Range Not Satisfiable"
        case 417: "Expectation Failed"
        case 422: "Unprocessable Content"
        case 425: "Too Early"
        case 426: "Upgrade Required"
        case 428: "Precondition Required"
        case 429: "Too Many Requests"
        case 431: "Request Header Fields Too Large"
        case 500: "Internal Server Error"
        case 501: "Not Implemented"
        case 502: "Bad Gateway"
        case 503: "Service Unavailable"
        case 504: "Gateway Timeout"
        case 505: "HTTP Version Not Supported"
        default: ""
        }
    }
}

/// The application's side of the server: called once per request, concurrently across
/// connections and strictly one at a time within a connection.
public typealias HTTPHandler = @Sendable (HTTPRequest) async -> HTTPResponse
