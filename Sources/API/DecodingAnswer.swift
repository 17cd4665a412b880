import BillportCore
import Foundation

/// A request body that is valid JSON but not what the route takes, as a 422 naming the field
/// in words: what is missing, what type it must be, which values are accepted. The runtime's
/// own text ("Cannot initialize … from invalid String value", type names) never reaches a
/// client; only `DecodingRule` sentences and the fixed ones below do.
enum DecodingAnswer {
    /// `bodyIsJSON`: the body is known to be well-formed JSON, so a failure without a field is
    /// a number that does not fit (JSONDecoder loses the path of a fraction where an integer is
    /// expected); otherwise such a failure means the body is not JSON.
    static func apiError(_ error: DecodingError, bodyIsJSON: Bool = false) -> APIError {
        let field = DecodingErrorText.field(error)
        if field.isEmpty, case .dataCorrupted(let context) = error, !(context.underlyingError is DecodingRule) {
            guard bodyIsJSON else { return APIError(status: 400, code: "invalid_json", message: "the body is not valid JSON") }
            return APIError(status: 422, code: "invalid_field",
                            message: "a number in the body must be a whole number (amounts are integers in minor units, e.g. 150 for 1.50)")
        }
        let name = field.isEmpty ? "the body" : field
        return APIError(status: 422, code: "invalid_field", message: "\(name) \(rule(error))", field: field.isEmpty ? nil : field)
    }

    /// What is wrong, without the field's name.
    static func rule(_ error: DecodingError) -> String {
        switch error {
        case .keyNotFound: return "is required"
        case .valueNotFound: return "is required and must not be null"
        case .typeMismatch(let type, _): return "must be \(typeName(type))"
        case .dataCorrupted(let context):
            if let rule = context.underlyingError as? DecodingRule { return rule.message }
            // Valid JSON that does not fit at a known path: a number out of range.
            return "must be a whole number in range"
        @unknown default: return "is not valid"
        }
    }

    static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: return "a string"
        case is Bool.Type: return "true or false"
        case is Int.Type, is Int64.Type, is Int32.Type, is UInt.Type, is UInt64.Type: return "a whole number"
        case is Double.Type, is Float.Type: return "a number"
        case is [Any].Type: return "an array"
        default: return "\(type)".hasPrefix("Array") ? "an array" : "an object"
        }
    }
}
