import BillportCore
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

        // Written straight into the output buffer: no intermediate strings on the hot path.
        out.reserveCapacity(out.count + 256 + (sendBody ? response.body.count : 0))
        out.append(contentsOf: "HTTP/1.1 ".utf8)
        Self.appendNumber(status, to: &out)
        out.append(0x20)
        out.append(contentsOf: reason.utf8)
        out.append(contentsOf: Self.crlf)
        var declaredLength: String?
        var hasDate = false
        for field in response.headers {
            guard HTTPSyntax.isToken(field.name), HTTPSyntax.isSafeFieldValue(field.value) else {
                log?("dropped unsafe response header \(field.name.debugDescription)")
                continue
            }
            switch Self.framingHeader(field.name) {
            case .contentLength:
                if field.value.utf8.allSatisfy({ (0x30...0x39).contains($0) }) && !field.value.isEmpty {
                    declaredLength = field.value
                }
                continue
            case .hopByHop:
                continue
            case .date:
                hasDate = true
            case nil:
                break
            }
            out.append(contentsOf: field.name.utf8)
            out.append(contentsOf: Self.colonSpace)
            out.append(contentsOf: field.value.utf8)
            out.append(contentsOf: Self.crlf)
        }
        if !hasDate {
            out.append(contentsOf: "Date: ".utf8)
            out.append(contentsOf: date().utf8)
            out.append(contentsOf: Self.crlf)
        }
        // RFC 9110 §8.6: never Content-Length on 204; on HEAD and 304 it describes the
        // representation, so a handler's own value wins there.
        if status != 204 {
            if (context.method == .head || status == 304), let declaredLength {
                out.append(contentsOf: "Content-Length: ".utf8)
                out.append(contentsOf: declaredLength.utf8)
                out.append(contentsOf: Self.crlf)
            } else if bodyAllowed || (context.method != .head && status != 304) {
                out.append(contentsOf: "Content-Length: ".utf8)
                Self.appendNumber(response.body.count, to: &out)
                out.append(contentsOf: Self.crlf)
            }
        }
        if close {
            out.append(contentsOf: "Connection: close\r\n".utf8)
        } else if context.version.minor == 0 {
            out.append(contentsOf: "Connection: keep-alive\r\n".utf8)
        }
        out.append(contentsOf: Self.crlf)
        if sendBody { out.append(contentsOf: response.body) }
        return close
    }

    private static let crlf: [UInt8] = [0x0D, 0x0A]
    private static let colonSpace: [UInt8] = [0x3A, 0x20]

    private enum FramingHeader { case contentLength, hopByHop, date }

    /// Which of the headers the server owns `name` is, compared without allocating.
    private static func framingHeader(_ name: String) -> FramingHeader? {
        func equals(_ target: StaticString) -> Bool {
            let utf8 = name.utf8
            guard utf8.count == target.utf8CodeUnitCount else { return false }
            return target.withUTF8Buffer { expected in
                zip(utf8, expected).allSatisfy { ($0 | 0x20) == $1 || $0 == $1 }
            }
        }
        switch name.utf8.count {
        case 14: return equals("content-length") ? .contentLength : nil
        case 17: return equals("transfer-encoding") ? .hopByHop : nil
        case 10: return equals("connection") || equals("keep-alive") ? .hopByHop : nil
        case 4: return equals("date") ? .date : nil
        default: return nil
        }
    }

    /// Appends the decimal digits of a non-negative number.
    private static func appendNumber(_ value: Int, to out: inout [UInt8]) {
        if value < 10 {
            out.append(UInt8(0x30 + value))
            return
        }
        var digits: [UInt8] = []
        var rest = value
        while rest > 0 {
            digits.append(UInt8(0x30 + rest % 10))
            rest /= 10
        }
        out.append(contentsOf: digits.reversed())
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
        let parts = UTCDateParts(epochSeconds: Int(seconds))
        let two = { UTCDateParts.padded($0, 2) }
        return "\(parts.weekdayAbbreviation), \(two(parts.day)) \(parts.monthAbbreviation) "
            + "\(parts.year) \(two(parts.hour)):\(two(parts.minute)):\(two(parts.second)) GMT"
    }
}
