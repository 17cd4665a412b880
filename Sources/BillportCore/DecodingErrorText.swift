/// One readable line for a `DecodingError`, naming the field (`lines[0].quantity`).
public enum DecodingErrorText {
    /// The field path of the error, `lines[0].quantity`, or "" for the whole document.
    public static func field(_ error: DecodingError) -> String {
        switch error {
        case .keyNotFound(let key, let context): return path(context.codingPath + [key])
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            return path(context.codingPath)
        @unknown default: return ""
        }
    }

    /// What is wrong, naming the field: `missing key 'ms'`, `'lines[0].quantity' must be Double`.
    public static func describe(_ error: DecodingError) -> String {
        let field = field(error)
        let name = field.isEmpty ? "the document" : "'\(field)'"
        switch error {
        case .keyNotFound: return "missing key \(name)"
        case .typeMismatch(let type, _): return "\(name) must be \(typeName(type))"
        case .valueNotFound(let type, _): return "\(name) must be \(typeName(type)), not null"
        case .dataCorrupted(let context):
            return field.isEmpty ? "not valid JSON" : "\(name): \(context.debugDescription)"
        @unknown default: return "\(error)"
        }
    }

    static func path(_ keys: [any CodingKey]) -> String {
        var text = ""
        for key in keys {
            if let index = key.intValue {
                text += "[\(index)]"
            } else {
                text += (text.isEmpty ? "" : ".") + key.stringValue
            }
        }
        return text
    }

    static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: return "a string"
        case is Bool.Type: return "true or false"
        case is Int.Type, is Int64.Type, is Int32.Type: return "a whole number"
        case is Double.Type: return "a number"
        default: return "\(type)".hasPrefix("Array") ? "an array" : "an object"
        }
    }
}
