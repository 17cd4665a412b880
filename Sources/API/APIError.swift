import BillportCore
import Foundation
import HTTPServer
import Billing
import Tokens

/// An error as the API answers it: `{"error": {"code", "message", "field"?}}`.
struct APIError: Error, Sendable, Equatable {
    let status: Int
    let code: String
    let message: String
    var field: String?
    /// Seconds for `Retry-After` (429).
    var retryAfter: Int?

    static let unauthorized = APIError(status: 401, code: "unauthorized", message: "a valid API token is required (Authorization: Bearer …)")
    static func forbidden(_ permission: Permission) -> APIError {
        APIError(status: 403, code: "forbidden", message: "this token lacks the permission \(permission)")
    }
    static func notFound(_ what: String) -> APIError { APIError(status: 404, code: "not_found", message: "\(what) not found") }
    /// The one answer for every bad public link: unknown, revoked, expired or malformed.
    static let linkNotFound = APIError(status: 404, code: "not_found", message: "This link is not valid. Ask the sender for a new one.")

    /// A key the route does not take: a typo must not silently leave a setting as it was.
    static func unknownField(_ field: String, known: [String]) -> APIError {
        APIError(status: 422, code: "unknown_field",
                 message: "\(field) is not a field of this request; the fields here are \(known.joined(separator: ", "))", field: field)
    }

    /// The API's answer for any error a handler throws; unexpected ones are 500 with no detail.
    static func from(_ error: any Error) -> APIError {
        switch error {
        case let error as APIError: return error
        case let error as FieldError: return APIError(status: 422, code: "invalid_field", message: error.description, field: error.field)
        case let error as BillingError:
            switch error {
            case .notFound(let what): return .notFound(what)
            case .conflict(let code, let message): return APIError(status: 409, code: code, message: message)
            case .unprocessable(let code, let message): return APIError(status: 422, code: code, message: message)
            case .invalid(let field): return APIError(status: 422, code: "invalid_field", message: field.description, field: field.field)
            }
        case let error as MessageQuotaExceeded:
            let seconds = (error.retryAfter.milliseconds + 999) / 1000
            return APIError(status: 429, code: "message_quota_exceeded", message: error.description, retryAfter: Int(seconds))
        case let error as MoneyOverflow:
            return APIError(status: 422, code: "amount_overflow", message: "\(error.description); no total can be shown")
        case let error as DecodingError: return DecodingAnswer.apiError(error)
        default:
            return APIError(status: 500, code: "internal_error", message: "something went wrong on our side; the request id is in X-Request-Id")
        }
    }

    var response: HTTPResponse {
        struct Body: Encodable {
            struct Inner: Encodable { let code: String; let message: String; let field: String? }
            let error: Inner
        }
        var response = JSONBody.response(status: status, Body(error: .init(code: code, message: message, field: field)))
        if let retryAfter { response.headers.set("Retry-After", String(retryAfter)) }
        return response
    }
}

/// JSON in and out: camelCase keys as the Swift properties are named, sorted for stable bytes.
enum JSONBody {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    static func response(status: Int = 200, _ value: some Encodable) -> HTTPResponse {
        let body = (try? encoder.encode(value)) ?? Data(#"{"error":{"code":"internal_error","message":"encoding failed"}}"#.utf8)
        return HTTPResponse(status: status, headers: ["Content-Type": "application/json; charset=utf-8"], body: Array(body))
    }

    /// Decodes the request body as `T`; 415 for a non-JSON content type, 400 only for a body
    /// that is not JSON at all, 422 `unknown_field` naming a key `T` does not read (nested ones
    /// too: `lines[0].colour`), 422 naming the field for a wrong or missing one (`DecodingAnswer`).
    static func decode<T: Decodable & KnownKeys>(_ type: T.Type, from request: HTTPRequest) throws -> T {
        if let contentType = request.headers["Content-Type"], !contentType.lowercased().contains("json") {
            throw APIError(status: 415, code: "unsupported_media_type", message: "send the body as application/json")
        }
        guard !request.body.isEmpty else { throw APIError(status: 400, code: "invalid_json", message: "a JSON body is required") }
        let data = Data(request.body)
        guard let json = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) else {
            throw APIError(status: 400, code: "invalid_json", message: "the body is not valid JSON")
        }
        if let (field, known) = T.unknownKey(in: json) {
            throw APIError.unknownField(field, known: known)
        }
        do {
            return try JSONDecoder().decode(T.self, from: data)
        } catch let error as DecodingError {
            throw DecodingAnswer.apiError(error, bodyIsJSON: true)
        }
    }
}
