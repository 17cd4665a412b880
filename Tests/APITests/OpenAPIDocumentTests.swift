@testable import API
import Foundation
import HTTPServer
import Testing
import Tokens

/// The OpenAPI document cannot drift from the router: every route under `/api/` and the health
/// checks is described with the access the router gives it, nothing else is, the committed
/// `docs/openapi.json` is the generated document, and the server serves it without a token.
@Suite struct OpenAPIDocumentTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The routes the document covers: the API, not the HTML pages, stylesheets or the provider's webhook.
    static func isDescribed(_ route: Route) -> Bool {
        route.pattern.hasPrefix("/api/") || route.pattern == "/healthz" || route.pattern == "/readyz"
    }

    static func access(_ audience: Audience) -> OperationAccess {
        switch audience {
        case .tenant(let permission): .tenant(permission)
        case .publicLink: .publicLink
        case .operations: .operations
        }
    }

    @Test func everyAPIRouteOfTheRouterIsInTheDocumentAndTheDocumentNamesNoOtherRoute() throws {
        let h = try APIHarness()
        let routes = Dictionary(uniqueKeysWithValues: h.api.routes.filter(Self.isDescribed).map {
            ("\($0.method.rawValue) \($0.pattern)", Self.access($0.audience))
        })
        let operations = Dictionary(uniqueKeysWithValues: OpenAPIDocument.operations.map { ("\($0.method.uppercased()) \($0.path)", $0.access) })
        let undocumented = Set(routes.keys).subtracting(operations.keys).sorted()
        let invented = Set(operations.keys).subtracting(routes.keys).sorted()
        #expect(undocumented.isEmpty, "routes missing from the OpenAPI document (add them to their group in Sources/API/OpenAPI): \(undocumented)")
        #expect(invented.isEmpty, "operations of the OpenAPI document that no route serves: \(invented)")
        for (key, access) in routes {
            if let described = operations[key] { #expect(described == access, "\(key): the router says \(access), the document \(described)") }
        }
        #expect(routes.count >= 60)
    }

    @Test func everyOperationTheIdempotencyLayerCoversTakesTheIdempotencyKeyHeader() throws {
        let h = try APIHarness()
        let operations = Dictionary(uniqueKeysWithValues: OpenAPIDocument.operations.map { ("\($0.method.uppercased()) \($0.path)", $0) })
        for route in h.api.routes where Self.isDescribed(route) {
            let operation = try #require(operations["\(route.method.rawValue) \(route.pattern)"])
            guard case .array(let parameters)? = operation.value.members["parameters"] else {
                #expect(!IdempotencyLayer.covers(route), "\(route.pattern) takes no Idempotency-Key in the document")
                continue
            }
            let takesKey = parameters.contains { $0.members["name"] == "Idempotency-Key" && $0.members["in"] == "header" }
            #expect(takesKey == IdempotencyLayer.covers(route), "\(route.method.rawValue) \(route.pattern)")
        }
    }

    /// Each route names the fields it takes when refusing an unknown one: the document's body
    /// must list the same, so a field added to a decoder cannot be left out of the document.
    @Test func everyDocumentedJSONBodyListsTheFieldsItsRouteTakes() async throws {
        let h = try APIHarness()
        let acme = try await h.tenant("acme")
        let tenantID = try #require(try await h.stores.tenants.tenant(slug: "acme")).id
        let unsubscribe = UnsubscribeTokens(key: Array(repeating: 7, count: 32)).token(tenantID: tenantID, customerID: acme.customerID)
        try await h.stores.customers.registerUnsubscribeToken(tenantID: tenantID, customerID: acme.customerID, hash: UnsubscribeTokens.hash(unsubscribe))
        var checked = 0
        for operation in OpenAPIDocument.operations {
            guard case .object(let content)? = operation.value.members["requestBody"]?.members["content"],
                  case .object(let properties)? = content["application/json"]?.members["schema"]?.members["properties"] else { continue }
            let path = operation.path.replacingOccurrences(of: "{id}", with: "1")
                .replacingOccurrences(of: "{token}", with: operation.path.hasPrefix("/api/preferences") ? unsubscribe : String(repeating: "A", count: 43))
            let reply = try await h.send(operation.method.uppercased(), path, token: acme.token, json: ["notAField": 1])
            #expect(reply.errorCode == "unknown_field", "\(operation.operationID): \(reply.status) \(reply.text)")
            guard let message = (reply.json["error"] as? [String: Any])?["message"] as? String,
                  let listed = message.range(of: "the fields here are ") else { continue }
            let taken = Set(message[listed.upperBound...].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
            #expect(taken == Set(properties.keys), "\(operation.operationID): the route takes \(taken.sorted()), the document \(properties.keys.sorted())")
            checked += 1
        }
        #expect(checked >= 20)
        await h.stop()
    }

    @Test func theCommittedDocsOpenAPIJSONIsTheGeneratedDocument() throws {
        let committed = try String(contentsOf: Self.root.appendingPathComponent("docs/openapi.json"), encoding: .utf8)
        #expect(committed == OpenAPIDocument.text, "docs/openapi.json is stale: run `.build/debug/billport openapi > docs/openapi.json`")
    }

    @Test func everyOperationHasAUniqueIDAndEveryJSONBodyIsClosedAndHasAnExample() throws {
        let operations = OpenAPIDocument.operations
        #expect(Set(operations.map(\.operationID)).count == operations.count)
        for operation in operations {
            guard case .object(let content)? = operation.value.members["requestBody"]?.members["content"],
                  let json = content["application/json"] else { continue }
            #expect(json.members["example"] != nil, "\(operation.operationID) has no example")
            #expect(json.members["schema"]?.members["additionalProperties"] == false, "\(operation.operationID) takes unknown keys")
        }
    }

    @Test func theDocumentIsServedWithoutATokenAndMayBeCached() async throws {
        let h = try APIHarness()
        let reply = try await h.send("GET", "/api/openapi.json")
        #expect(reply.status == 200)
        #expect(reply.header("Content-Type")?.hasPrefix("application/json") == true)
        #expect(reply.header("Cache-Control") == "public, max-age=3600")
        let document = try #require(try JSONSerialization.jsonObject(with: reply.body) as? [String: Any])
        #expect(document["openapi"] as? String == "3.1.0")
        #expect(reply.text == OpenAPIDocument.text)
        let other = try await h.send("GET", "/healthz")
        #expect(other.header("Cache-Control") == "no-store", "every other answer stays uncacheable")
        await h.stop()
    }
}
