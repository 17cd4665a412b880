import BillportCore
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
@testable import HTTPServer

/// How an `APIHarness` delivers its requests.
enum APITransport: Sendable {
    /// Straight to the API's handler in-process (`DirectClient`): no socket, no client library.
    /// What the handler and the server's response framing decide is the same as over a socket.
    case direct
    /// A real server on an ephemeral port and URLSession: for what only a connection shows —
    /// parser limits, read timeouts, malformed requests, keep-alive, back-pressure — and for
    /// callers that need a port (the fake payment provider posting webhooks).
    case live
}

/// Hands a `URLRequest` to an `HTTPHandler` as the server would after parsing it, and answers
/// what URLSession would have returned over a socket.
///
/// The request gets the headers URLSession (libcurl) adds on the wire, and the loopback peer
/// address. The response goes through the server's own `ResponseEncoder`, so status, headers
/// and body are exactly the wire's: `Date` and `Content-Length` added, framing and unsafe fields
/// dropped, no body for HEAD, 204 and 304. Redirects are followed like URLSession follows them
/// (a 303, or a 301/302 to a POST, becomes a GET without body); one that leaves the server goes
/// to `URLSession.shared`.
struct DirectClient: Sendable {
    let handler: HTTPHandler

    /// Where the requests seem to come from: the loopback address, as over the socket.
    static let peerAddress = "127.0.0.1"
    /// The origin of request URLs when there is no server; only redirects that stay on a
    /// request's own origin are answered by the handler.
    static let origin = "http://127.0.0.1"
    /// The `User-Agent` sent unless the test sets its own (URLSession sends its process name).
    static let userAgent = "APITests (direct) curl"

    /// The reply, its header fields as `HTTPURLResponse.allHeaderFields` shows them.
    func send(_ request: URLRequest, followRedirects: Bool) async throws -> APIHarness.Reply {
        var request = request
        // URLSession's limit, for the same reason: a redirect loop ends with an error.
        for _ in 0...20 {
            let answer = try await answer(request)
            guard followRedirects, let next = Self.redirect(answer, of: request) else { return answer }
            guard next.url?.host == request.url?.host, next.url?.port == request.url?.port else {
                let (data, response) = try await URLSession.shared.data(for: next)
                return APIHarness.Reply(data: data, response: response)
            }
            request = next
        }
        throw URLError(.httpTooManyRedirects)
    }

    /// One request through the handler and the response encoder.
    private func answer(_ request: URLRequest) async throws -> APIHarness.Reply {
        guard let url = request.url, let components = URLComponents(url: url, resolvingAgainstBaseURL: false),
              let method = HTTPMethod(rawValue: request.httpMethod ?? "GET") else {
            throw URLError(.unsupportedURL, userInfo: [NSLocalizedDescriptionKey: "the parser answers this request: use .live"])
        }
        let body = request.httpBody.map(Array.init) ?? []
        // URLSession refuses these before sending anything.
        if method == .get, !body.isEmpty { throw URLError(.dataLengthExceedsMaximum) }
        let served = await handler(HTTPRequest(
            method: method, path: components.percentEncodedPath.isEmpty ? "/" : components.percentEncodedPath,
            query: components.percentEncodedQuery, headers: Self.wireHeaders(of: request, method: method, body: body),
            body: body, remoteAddress: Self.peerAddress))
        var encoder = ResponseEncoder(log: nil)
        var bytes: [UInt8] = []
        _ = encoder.encode(served, for: .init(method: method, version: .http1_1, keepAlive: true), forceClose: false, into: &bytes)
        return Self.parse(bytes)
    }

    /// The request's own fields, then what URLSession and libcurl add unless the request set it.
    static func wireHeaders(of request: URLRequest, method: HTTPMethod, body: [UInt8]) -> HTTPHeaders {
        var headers = HTTPHeaders()
        for (name, value) in request.allHTTPHeaderFields ?? [:] { headers.add(name, value) }
        func addDefault(_ name: String, _ value: String) {
            if !headers.contains(name) { headers.add(name, value) }
        }
        addDefault("Host", [request.url?.host, request.url?.port.map(String.init)].compactMap { $0 }.joined(separator: ":"))
        addDefault("User-Agent", userAgent)
        addDefault("Accept", "*/*")
        addDefault("Connection", "keep-alive")
        if method != .get {
            addDefault("Content-Length", "\(body.count)")
        }
        if method == .post, !body.isEmpty {
            addDefault("Content-Type", "application/x-www-form-urlencoded")
        }
        return headers
    }

    /// The next request when `answer` is a redirect URLSession follows, else nil.
    static func redirect(_ answer: APIHarness.Reply, of request: URLRequest) -> URLRequest? {
        guard let location = answer.header("Location"),
              let target = URL(string: location, relativeTo: request.url)?.absoluteURL else { return nil }
        var next = request
        switch answer.status {
        case 301...302 where request.httpMethod == "POST", 303:
            next.httpMethod = "GET"
            next.httpBody = nil
        case 301...302, 305...308:
            break
        default:
            return nil
        }
        next.url = target
        return next
    }

    /// Status line, header fields (repeated names joined by ", ", as HTTPURLResponse does) and body.
    static func parse(_ bytes: [UInt8]) -> APIHarness.Reply {
        let separator: [UInt8] = [0x0D, 0x0A, 0x0D, 0x0A]
        let end = (0...(bytes.count - separator.count)).first { Array(bytes[$0..<$0 + separator.count]) == separator } ?? bytes.count
        let lines = String(decoding: bytes[..<end], as: UTF8.self).components(separatedBy: "\r\n")
        let status = Int(lines[0].split(separator: " ")[1]) ?? 0
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = String(line[..<colon])
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            let key = headers.keys.first { $0.lowercased() == name.lowercased() } ?? name
            headers[key] = headers[key].map { "\($0), \(value)" } ?? value
        }
        return APIHarness.Reply(status: status, headers: headers, body: Data(bytes[min(end + separator.count, bytes.count)...]))
    }
}
