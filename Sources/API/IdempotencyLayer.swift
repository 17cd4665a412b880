import BillportCore
import Foundation
import HTTPServer
import Billing
import Tokens

/// `Idempotency-Key` on every tenant POST, with Stripe's semantics: the same key with the same
/// request within 24 hours gets the first answer again (`Idempotent-Replayed: true`); with
/// another request (body, path or query) 422 `idempotency_key_reused`; while the first still
/// runs 409 `idempotency_key_in_use`. Keys are the tenant's own and the route's own. Answers
/// of 5xx are not kept, so such a request can be retried with its key. Bodies are kept sealed
/// (an answer may hold a share or portal token, which the database otherwise holds only hashed).
struct IdempotencyLayer: Sendable {
    let store: any IdempotencyStore
    let clock: any WallClock
    let seal: SealingKey

    static let header = "Idempotency-Key"

    /// Whether the layer applies to `route` at all.
    static func covers(_ route: Route) -> Bool {
        guard case .tenant = route.audience else { return false }
        return route.method == .post
    }

    /// Runs `route` for `context` under the request's key, or plainly when it carries none.
    func respond(_ context: RequestContext, route: Route) async throws -> HTTPResponse {
        guard let raw = context.request.headers[Self.header] else { return try await route.handler(context) }
        guard let key = IdempotencyRule.validKey(raw) else {
            throw APIError(status: 422, code: "invalid_field",
                           message: "\(Self.header) must be 1 to \(IdempotencyRule.maximumKeyLength) printable ASCII characters without spaces",
                           field: Self.header)
        }
        let tenantID = try context.tenantID
        let scope = "\(route.method.rawValue) \(route.pattern)"
        switch try await store.claim(tenantID: tenantID, scope: scope, key: key, fingerprint: Self.fingerprint(context.request), now: clock.now()) {
        case .reused:
            throw APIError(status: 422, code: "idempotency_key_reused",
                           message: "this \(Self.header) was used with a different request; use a new key for a new request", field: Self.header)
        case .inFlight:
            throw APIError(status: 409, code: "idempotency_key_in_use",
                           message: "a request with this \(Self.header) is still running; retry when it has answered")
        case .replay(let answer):
            guard let body = seal.open(answer.body, context: Self.context(tenantID, scope, key)) else {
                // Sealed under a server secret since replaced (which also ended every API token
                // of then): forgotten, and the request runs as a new one rather than fail for 24 hours.
                try await store.release(tenantID: tenantID, scope: scope, key: key)
                return try await respond(context, route: route)
            }
            var response = HTTPResponse(status: answer.status, headers: HTTPHeaders(answer.headers.compactMap { $0.count == 2 ? ($0[0], $0[1]) : nil }),
                                        body: body)
            response.headers.set("Idempotent-Replayed", "true")
            return response
        case .started:
            let response: HTTPResponse
            do {
                response = try await route.handler(context)
            } catch {
                let answer = APIError.from(error)
                guard answer.status < 500 else {
                    try? await store.release(tenantID: tenantID, scope: scope, key: key)
                    throw error
                }
                response = answer.response
            }
            if response.status >= 500 {
                try? await store.release(tenantID: tenantID, scope: scope, key: key)
            } else {
                let answer = StoredAnswer(status: response.status, headers: response.headers.map { [$0.name, $0.value] },
                                          body: seal.seal(response.body, context: Self.context(tenantID, scope, key)))
                try? await store.store(tenantID: tenantID, scope: scope, key: key, answer: answer)
            }
            return response
        }
    }

    /// Where a sealed answer belongs: it opens under no other tenant, route or key.
    private static func context(_ tenantID: Int64, _ scope: String, _ key: String) -> [UInt8] {
        Array("\(tenantID)\n\(scope)\n\(key)".utf8)
    }

    /// What makes two requests "the same": the path, the query and the body; a JSON body by its
    /// content, so the order of its keys or its spacing does not matter.
    static func fingerprint(_ request: HTTPRequest) -> [UInt8] {
        var body = request.body
        if !body.isEmpty, let json = try? JSONSerialization.jsonObject(with: Data(body), options: [.fragmentsAllowed]),
           let canonical = try? JSONSerialization.data(withJSONObject: json, options: [.sortedKeys, .fragmentsAllowed]) {
            body = Array(canonical)
        }
        return Digest.sha256(Array("\(request.path)?\(request.query ?? "")\n".utf8) + body)
    }
}
