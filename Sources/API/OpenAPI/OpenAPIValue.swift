import Foundation

/// A JSON value of the OpenAPI document, written as Swift literals so each operation reads
/// almost like the JSON it becomes.
indirect enum OpenAPIValue: Sendable, Equatable, Encodable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral {
    case string(String)
    case integer(Int64)
    case number(Double)
    case bool(Bool)
    case array([OpenAPIValue])
    case object([String: OpenAPIValue])
    case null

    init(stringLiteral value: String) { self = .string(value) }
    init(integerLiteral value: Int64) { self = .integer(value) }
    init(booleanLiteral value: Bool) { self = .bool(value) }
    init(arrayLiteral elements: OpenAPIValue...) { self = .array(elements) }
    init(dictionaryLiteral elements: (String, OpenAPIValue)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }

    /// The members of an object (empty for anything else).
    var members: [String: OpenAPIValue] {
        if case .object(let members) = self { return members }
        return [:]
    }

    /// This object with `other`'s members added (theirs win).
    func merging(_ other: [String: OpenAPIValue]) -> OpenAPIValue {
        .object(members.merging(other) { _, new in new })
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .string(let value): try container.encode(value)
        case .integer(let value): try container.encode(value)
        case .number(let value): try container.encode(value)
        case .bool(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        case .null: try container.encodeNil()
        }
    }

    /// Pretty, sorted and stable: the committed `docs/openapi.json` is compared byte for byte.
    var prettyJSON: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        let data = (try? encoder.encode(self)) ?? Data()
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
