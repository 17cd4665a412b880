import Foundation
import TestSupport

/// JSON requests to a running `billport serve` over one kept-alive connection, for process
/// tests that drive it as a tenant and a buyer would.
final class LiveClient: Sendable {
    private let client: RawClient
    private let token: String?

    init(port: Int, token: String? = nil) throws {
        client = try RawClient(port: port)
        self.token = token
    }

    struct Reply {
        let status: Int
        let text: String
        /// The body as a JSON object (empty when it is not one).
        var json: [String: Any] {
            (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:]
        }
    }

    /// Sends `method path` with the tenant token (unless `authorized` is false) and `json` as the
    /// body; asks for JSON answers.
    func send(_ method: String, _ path: String, json: [String: Any]? = nil, authorized: Bool = true) async throws -> Reply {
        let body = try json.map { try JSONSerialization.data(withJSONObject: $0) } ?? Data()
        var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/json\r\nContent-Length: \(body.count)\r\n"
        if json != nil { head += "Content-Type: application/json\r\n" }
        if authorized, let token { head += "Authorization: Bearer \(token)\r\n" }
        try await client.send(Array((head + "\r\n").utf8) + Array(body))
        let response = try await client.readResponse(timeout: .seconds(30))
        return Reply(status: response.status, text: response.text)
    }

    /// `send`, requiring `status`.
    func expect(_ status: Int, _ method: String, _ path: String, json: [String: Any]? = nil,
                authorized: Bool = true) async throws -> [String: Any] {
        let reply = try await send(method, path, json: json, authorized: authorized)
        guard reply.status == status else { throw LiveClientFailure("\(method) \(path): \(reply.status) \(reply.text)") }
        return reply.json
    }
}

struct LiveClientFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
