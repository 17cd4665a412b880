internal import Glibc

/// Turns handler responses and refusals into wire bytes. The server owns the framing, so a
/// handler can neither break it (CR/LF in a header) nor lie about the body length.
struct ResponseEncoder {
    /// What the encoder needs to know about the request being answered.
    struct Context: Sendable {
        var method: HTTPMethod
        var version: HTTPVersion
        var keepAlive: Bool
    }

    private var cachedSecond = -1
    private var cachedDate = ""
    let log: (@Sendable (String) -> Void)?

    init(log: (@Sendable (String) -> Void)?) {
        self.log = log
    }

    /// `HTTP/1.1 100 Continue` (RFC 9110 §15.2.1).
    static let continueBytes: [UInt8] = Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)

    /// Appends a response and returns whether the connection must close after it.
    mutating func encode(_ response: HTTPResponse, for context: Context, forceClose: Bool, into out: inout [UInt8]) -> Bool {
        var status = response.status
        var reason = response.reason
        if !(200...599).contains(status) {
            log?("handler returned status \(status); sending 500")
            status = 500
            reason = HTTPResponse.reasonPhrase(for: 500)
        } else if !HTTPSyntax.isSafeFieldValue(reason) {
            reason = HTTPResponse.reasonPhrase(for: status)
        }
        let close = forceClose || !context.keepAlive
            || response.headers.listTokens(for: "Connection").contains("close")
        // RFC 9110 §6.4.1: 204 and 304 never carry content; HEAD gets the GET headers only.
        let bodyAllowed = status != 204 && status != 304
        let sendBody = bodyAllowed && context.method != .head

        var head = "HTTP/1.1 \(status) \(reason)\r\n"
        var declaredLength: String?
        var hasDate = false
        for field in response.headers {
            guard HTTPSyntax.isToken(field.name), HTTPSyntax.isSafeFieldValue(field.value) else {
                log?("dropped unsafe response header \(field.name.debugDescription)")
                continue
            }
            switch field.name.lowercasedASCII() {
            case "content-length":
                if field.value.utf8.allSatisfy({ (0x30...0x39).contains($0) }) && !field.value.isEmpty {
                    declaredLength = field.value
                }
                continue
            case "transfer-encoding", "connection", "keep-alive":
                continue
            case "date":
                hasDate = true
            default:
                break
            }
            head += "\(field.name): \(field.value)\r\n"
        }
        if !hasDate { head += "Date: \(date())\r\n" }
        // RFC 9110 §8.6: never Content-Length on 204; on HEAD and 304 it describes the
        // representation, so a handler's own value wins there.
        if status != 204 {
            if context.method == .head || status == 304 {
                if let declaredLength {
                    head += "Content-Length: \(declaredLength)\r\n"
                } else if bodyAllowed {
                    head += "Content-Length: \(response.body.count)\r\n"
                }
            } else {
                head += "Content-Length: \(response.body.count)\r\n"
            }
        }
        if close {
            head += "Connection: close\r\n"
        } else if context.version.minor == 0 {
            head += "Connection: keep-alive\r\n"
        }
        head += "\r\n"
        out.append(contentsOf: head.utf8)
        if sendBody { out.append(contentsOf: response.body) }
        return close
    }

    /// Appends the answer to a refused request: a short text body and `Connection: close`.
    mutating func encodeRefusal(status: Int, into out: inout [UInt8]) {
        let reason = HTTPResponse.reasonPhrase(for: status)
        let body = "\(status) \(reason)\n"
        var head = "HTTP/1.1 \(status) \(reason)\r\n"
        head += "Content-Type: text/plain; charset=utf-8\r\n"
        head += "Content-Length: \(body.utf8.count)\r\n"
        if status == 503 { head += "Retry-After: 1\r\n" }
        head += "Date: \(date())\r\nConnection: close\r\n\r\n"
        out.append(contentsOf: head.utf8)
        out.append(contentsOf: body.utf8)
    }

    /// The current time as an IMF-fixdate (RFC 9110 §5.6.7), formatted once per second.
    mutating func date() -> String {
        let now = time(nil)
        if Int(now) != cachedSecond {
            cachedSecond = Int(now)
            cachedDate = Self.imfFixdate(now)
        }
        return cachedDate
    }

    static func imfFixdate(_ seconds: time_t) -> String {
        var clock = seconds
        var parts = tm()
        gmtime_r(&clock, &parts)
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(days[Int(parts.tm_wday)]), \(two(parts.tm_mday)) \(months[Int(parts.tm_mon)]) "
            + "\(parts.tm_year + 1900) \(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)) GMT"
    }
}
