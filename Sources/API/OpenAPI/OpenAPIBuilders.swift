import Tokens

/// JSON Schema fragments, bounded as the code enforces them.
enum Schema {
    static func string(min: Int? = nil, max: Int? = nil, format: String? = nil, pattern: String? = nil,
                       oneOf choices: [String]? = nil, _ description: String? = nil) -> OpenAPIValue {
        var schema: [String: OpenAPIValue] = ["type": "string"]
        if let min { schema["minLength"] = .integer(Int64(min)) }
        if let max { schema["maxLength"] = .integer(Int64(max)) }
        if let format { schema["format"] = .string(format) }
        if let pattern { schema["pattern"] = .string(pattern) }
        if let choices { schema["enum"] = .array(choices.map(OpenAPIValue.string)) }
        if let description { schema["description"] = .string(description) }
        return .object(schema)
    }

    static func integer(min: Int64? = nil, max: Int64? = nil, _ description: String? = nil) -> OpenAPIValue {
        var schema: [String: OpenAPIValue] = ["type": "integer", "format": "int64"]
        if let min { schema["minimum"] = .integer(min) }
        if let max { schema["maximum"] = .integer(max) }
        if let description { schema["description"] = .string(description) }
        return .object(schema)
    }

    static func number(min: Double? = nil, max: Double? = nil, exclusiveMin: Double? = nil, _ description: String? = nil) -> OpenAPIValue {
        var schema: [String: OpenAPIValue] = ["type": "number"]
        if let min { schema["minimum"] = .number(min) }
        if let max { schema["maximum"] = .number(max) }
        if let exclusiveMin { schema["exclusiveMinimum"] = .number(exclusiveMin) }
        if let description { schema["description"] = .string(description) }
        return .object(schema)
    }

    static let boolean: OpenAPIValue = ["type": "boolean"]
    static let id = integer(min: 1)
    /// An amount in minor units of the currency (cents), never negative.
    static let amount = integer(min: 0, "minor units of the currency")
    static let date = string(format: "date", "YYYY-MM-DD")
    static let timestamp = string(format: "date-time")
    static let currency = string(pattern: "^[A-Z]{3}$", "ISO 4217 code")
    /// The secret of a share, portal or email link: 43 characters of base64url (32 random bytes).
    static let linkToken = string(min: 43, max: 43, pattern: "^[A-Za-z0-9_-]{43}$", "the token of the link")
    /// An invoice's public id, as the portal lists it.
    static let publicID = string(min: 20, max: 20, pattern: "^inv_[A-Za-z0-9_-]{16}$")

    static func array(_ items: OpenAPIValue, min: Int? = nil, max: Int? = nil) -> OpenAPIValue {
        var schema: [String: OpenAPIValue] = ["type": "array", "items": items]
        if let min { schema["minItems"] = .integer(Int64(min)) }
        if let max { schema["maxItems"] = .integer(Int64(max)) }
        return .object(schema)
    }

    /// An object; `closed` (request bodies) refuses unknown keys as `KnownKeys` does.
    static func object(_ properties: [String: OpenAPIValue], required: [String] = [], closed: Bool = false) -> OpenAPIValue {
        var schema: [String: OpenAPIValue] = ["type": "object", "properties": .object(properties)]
        if !required.isEmpty { schema["required"] = .array(required.sorted().map(OpenAPIValue.string)) }
        if closed { schema["additionalProperties"] = false }
        return .object(schema)
    }

    /// A request body: closed, every key the route reads.
    static func body(_ properties: [String: OpenAPIValue], required: [String] = []) -> OpenAPIValue {
        object(properties, required: required, closed: true)
    }

    /// `schema` or JSON `null` (a field that may be empty, or that `null` clears).
    static func nullable(_ schema: OpenAPIValue) -> OpenAPIValue {
        var members = schema.members
        if case .string(let type)? = members["type"] { members["type"] = [.string(type), "null"] }
        if case .array(let choices)? = members["enum"] { members["enum"] = .array(choices + [.null]) }
        if members["$ref"] != nil { return ["anyOf": [schema, ["type": "null"]]] }
        return .object(members)
    }

    static func ref(_ name: String) -> OpenAPIValue { ["$ref": .string("#/components/schemas/\(name)")] }

    /// `{"data": [item]}`, the shape of every list.
    static func list(_ item: OpenAPIValue, extra: [String: OpenAPIValue] = [:]) -> OpenAPIValue {
        object(["data": array(item)].merging(extra) { _, new in new }, required: ["data"])
    }
}

/// Who may call an operation, as the router's `Audience` says.
enum OperationAccess: Sendable, Equatable {
    case tenant(Permission?)
    case publicLink
    case operations
}

/// One operation of the document: built with chained calls, it adds the error answers its
/// access, path parameters, query and body imply, so each route group lists only what is its own.
struct APIOperation: Sendable {
    let method: String
    let path: String
    let operationID: String
    let summary: String
    let tag: String
    let access: OperationAccess
    private(set) var parameters: [OpenAPIValue] = []
    private(set) var requestBody: OpenAPIValue?
    private(set) var responses: [String: OpenAPIValue] = [:]
    private(set) var description: String?

    init(_ method: String, _ path: String, id: String, _ summary: String, tag: String, access: OperationAccess) {
        self.method = method
        self.path = path
        self.operationID = id
        self.summary = summary
        self.tag = tag
        self.access = access
        for name in Self.pathParameters(path) {
            let schema = switch name {
            case "id", "deliveryId": Schema.id
            case "token": Schema.linkToken
            case "publicId": Schema.publicID
            default: Schema.string(min: 1, max: 64)
            }
            parameters.append(["name": .string(name), "in": "path", "required": true, "schema": schema])
        }
    }

    static func pathParameters(_ path: String) -> [String] {
        path.split(separator: "/").filter { $0.hasPrefix("{") }.map { String($0.dropFirst().dropLast()) }
    }

    func described(_ text: String) -> Self { var copy = self; copy.description = text; return copy }

    func query(_ name: String, _ schema: OpenAPIValue, _ description: String) -> Self {
        var copy = self
        copy.parameters.append(["name": .string(name), "in": "query", "required": false, "schema": schema, "description": .string(description)])
        return copy
    }

    /// A required query parameter (a media token).
    func requiredQuery(_ name: String, _ schema: OpenAPIValue, _ description: String) -> Self {
        var copy = self
        copy.parameters.append(["name": .string(name), "in": "query", "required": true, "schema": schema, "description": .string(description)])
        return copy
    }

    /// A header parameter the route reads.
    func header(_ name: String, _ schema: OpenAPIValue, _ description: String, required: Bool = false) -> Self {
        var copy = self
        copy.parameters.append(["name": .string(name), "in": "header", "required": .bool(required), "schema": schema, "description": .string(description)])
        return copy
    }

    /// A JSON body with an example; `required: false` where an empty body is accepted.
    func body(_ schema: OpenAPIValue, example: OpenAPIValue, required: Bool = true) -> Self {
        var copy = self
        copy.requestBody = ["required": .bool(required),
                            "content": ["application/json": ["schema": schema, "example": example]]]
        copy.responses["400"] = Self.error("invalid_json: the body is not JSON")
        copy.responses["415"] = Self.error("unsupported_media_type: a Content-Type other than JSON")
        copy.responses["422"] = Self.error("unknown_field or invalid_field, naming the field")
        return copy
    }

    /// A body that is not JSON (an image).
    func rawBody(_ mediaTypes: [String], required: Bool = true) -> Self {
        var copy = self
        var content: [String: OpenAPIValue] = [:]
        for type in mediaTypes { content[type] = ["schema": ["type": "string", "contentMediaType": .string(type)]] }
        copy.requestBody = ["required": .bool(required), "content": .object(content)]
        copy.responses["415"] = Self.error("unsupported_media_type")
        return copy
    }

    func responds(_ status: Int, _ description: String, _ schema: OpenAPIValue? = nil, headers: [String: OpenAPIValue] = [:]) -> Self {
        var copy = self
        var response: [String: OpenAPIValue] = ["description": .string(description)]
        if let schema { response["content"] = ["application/json": ["schema": schema]] }
        if !headers.isEmpty { response["headers"] = .object(headers.mapValues { ["schema": $0] }) }
        copy.responses[String(status)] = .object(response)
        return copy
    }

    func respondsPDF(_ description: String) -> Self { respondsFile(description, mediaType: "application/pdf") }

    /// A file download (`Content-Disposition: attachment`) of `mediaType`.
    func respondsFile(_ description: String, mediaType: String) -> Self {
        var copy = self
        copy.responses["200"] = ["description": .string(description),
                                 "content": [mediaType: ["schema": ["type": "string", "contentMediaType": .string(mediaType)]]]]
        return copy
    }

    /// Error answers beyond those the operation implies, with what they mean here.
    func fails(_ status: Int, _ meaning: String) -> Self {
        var copy = self
        copy.responses[String(status)] = Self.error(meaning)
        return copy
    }

    /// A refusal of the HTTP server itself (the request could not be framed): plain text.
    static func framing(_ meaning: String) -> OpenAPIValue {
        ["description": .string(meaning), "content": ["text/plain": ["schema": ["type": "string"]]]]
    }

    static func error(_ meaning: String) -> OpenAPIValue {
        ["description": .string(meaning), "content": ["application/json": ["schema": Schema.ref("Error")]]]
    }

    /// Stripe's semantics: the same key and request within 24 hours gets the first answer again.
    static let idempotencyKey: OpenAPIValue = [
        "name": "Idempotency-Key", "in": "header", "required": false,
        "schema": Schema.string(min: 1, max: 255, pattern: "^[!-~]+$"),
        "description": "Makes a retry safe: the same key with the same request (path, query, body) within 24 hours gets the first answer again, with Idempotent-Replayed: true; 5xx answers are not kept.",
    ]

    /// The operation object, with the answers implied by its access and its parameters.
    var value: OpenAPIValue {
        var responses = self.responses
        func add(_ status: Int, _ meaning: String) {
            if responses[String(status)] == nil { responses[String(status)] = Self.error(meaning) }
        }
        /// Another error under a status the operation may already answer: both meanings are named.
        func also(_ status: Int, _ meaning: String) {
            guard let existing = responses[String(status)], case .string(let text)? = existing.members["description"] else { return add(status, meaning) }
            responses[String(status)] = existing.merging(["description": .string(text + "; " + meaning)])
        }
        var operation: [String: OpenAPIValue] = ["operationId": .string(operationID), "summary": .string(summary), "tags": [.string(tag)]]
        var parameters = self.parameters
        switch access {
        case .tenant(let permission):
            add(401, "unauthorized: no token, or one that is invalid or expired")
            if method == "post" {
                // IdempotencyLayer.covers: every tenant POST.
                parameters.append(Self.idempotencyKey)
                also(409, "idempotency_key_in_use: a request with this Idempotency-Key is still running")
                also(422, "idempotency_key_reused: the Idempotency-Key was used with another request")
            }
            if let permission {
                add(403, "forbidden: the token lacks \(permission.rawValue)")
                operation["x-permission"] = .string(permission.rawValue)
            }
        case .publicLink:
            operation["security"] = []
            add(404, "not_found: the link is unknown, revoked, expired or malformed")
            add(429, "rate_limited: too many requests from this address or for this link (Retry-After)")
        case .operations:
            operation["security"] = []
        }
        if !Self.pathParameters(path).isEmpty { add(404, "not_found") }
        if parameters.contains(where: { $0.members["in"] == "query" }) { add(422, "invalid_field or unknown_field, naming the query parameter") }
        // Refused by the HTTP server before any route runs, as plain text.
        if !parameters.isEmpty { responses["414"] = Self.framing("the request line is longer than 8 KiB") }
        if parameters.contains(where: { $0.members["in"] == "header" }) { responses["431"] = Self.framing("the header section is larger than 32 KiB") }
        if requestBody != nil { responses["413"] = Self.framing("the body is larger than http.maxBodyBytes (1 MiB)") }
        if !parameters.isEmpty { operation["parameters"] = .array(parameters) }
        if let requestBody { operation["requestBody"] = requestBody }
        if let description { operation["description"] = .string(description) }
        operation["responses"] = .object(responses)
        return .object(operation)
    }
}
