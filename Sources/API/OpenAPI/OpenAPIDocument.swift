import HTTPServer

/// The OpenAPI 3.1 description of the API, built from one list of operations per route group.
/// `OpenAPIDocumentTests` fails when a route under `/api/` is missing here or an operation names
/// a route that does not exist, so adding a route means adding its operation to its group.
public enum OpenAPIDocument {
    /// Every operation, in the order of the groups.
    static var operations: [APIOperation] {
        InvoiceOperations.operations + CustomerOperations.operations + SettingsOperations.operations + PublicOperations.operations
    }

    /// The whole document.
    static var value: OpenAPIValue {
        var paths: [String: OpenAPIValue] = [:]
        var tags: [String] = []
        for operation in operations {
            paths[operation.path] = (paths[operation.path] ?? [:]).merging([operation.method: operation.value])
            if !tags.contains(operation.tag) { tags.append(operation.tag) }
        }
        return [
            "openapi": "3.1.0",
            "info": [
                "title": "Billport API",
                "version": "1",
                "description": "The tenant API of a Billport server, and the JSON routes a buyer's browser calls with the token of a link. JSON in and out, camelCase, amounts in integer minor units of the invoice's currency. Every error is {\"error\": {\"code\", \"message\", \"field\"?}}. Every update is partial: PUT is a synonym of PATCH.",
            ],
            "tags": .array(tags.map { ["name": .string($0)] }),
            "paths": .object(paths),
            "components": ["schemas": .object(OpenAPIComponents.schemas), "securitySchemes": .object(OpenAPIComponents.securitySchemes)],
            "security": [["bearer": []]],
        ]
    }

    /// The document as served and committed in `docs/openapi.json`.
    public static let text: String = value.prettyJSON

    /// `GET /api/openapi.json`: no token needed, and cacheable (it changes only with the binary).
    static var route: Route {
        let response = HTTPResponse(status: 200, headers: ["Content-Type": "application/json; charset=utf-8", "Cache-Control": "public, max-age=3600"],
                                    body: Array(text.utf8))
        return Route(.get, "/api/openapi.json", .operations) { _ in response }
    }
}
