import BillportCore
import Foundation

/// Helpers shared by the decoders of Stripe objects (sessions, charges, events, errors).
enum StripeDecoding {
    /// Decodes `T` from JSON bytes, turning `DecodingError` into one naming the field.
    static func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws(ProviderDecodingError) -> T {
        do {
            return try JSONDecoder().decode(T.self, from: Data(bytes))
        } catch let error as DecodingError {
            throw ProviderDecodingError(error)
        } catch {
            throw .malformedJSON
        }
    }
}

extension KeyedDecodingContainer {
    /// A Unix timestamp in whole seconds, as Stripe sends every instant.
    func decodeUnixTime(forKey key: Key) throws -> Date {
        Date(timeIntervalSince1970: TimeInterval(try decode(Int64.self, forKey: key)))
    }

    /// An optional Unix timestamp (null or absent is nil).
    func decodeUnixTimeIfPresent(forKey key: Key) throws -> Date? {
        try decodeIfPresent(Int64.self, forKey: key).map { Date(timeIntervalSince1970: TimeInterval($0)) }
    }

    /// An expandable reference: Stripe sends an id (`"pi_…"`) or, when expanded, the object;
    /// either way the id comes back. Null or absent is nil.
    func decodeExpandableIDIfPresent(forKey key: Key) throws -> String? {
        guard contains(key), try !decodeNil(forKey: key) else { return nil }
        if let id = try? decode(String.self, forKey: key) { return id }
        return try decode(ExpandedObject.self, forKey: key).id
    }

    /// Metadata: string keys and string values; null or absent is empty.
    func decodeMetadata(forKey key: Key) throws -> [String: String] {
        try decodeIfPresent([String: String].self, forKey: key) ?? [:]
    }
}

/// An expanded object, of which only the id matters here.
private struct ExpandedObject: Decodable {
    let id: String
}

/// Why an event or an API object could not be decoded, naming the field at fault.
public enum ProviderDecodingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The body is not JSON.
    case malformedJSON
    /// A required field is absent or null: its path, `data.object.payment_status`.
    case missingField(String)
    /// A field has the wrong type or value: its path and what was wrong.
    case invalidField(String, String)

    /// Classifies a `DecodingError` (null counts as missing: Stripe nulls what it lacks).
    init(_ error: DecodingError) {
        let field = DecodingErrorText.field(error)
        switch error {
        case .keyNotFound, .valueNotFound: self = .missingField(field)
        case .dataCorrupted where field.isEmpty: self = .malformedJSON
        default: self = .invalidField(field, DecodingErrorText.describe(error))
        }
    }

    /// What is wrong, naming the field.
    public var description: String {
        switch self {
        case .malformedJSON: "the body is not valid JSON"
        case .missingField(let field): "required field '\(field)' is missing"
        case .invalidField(_, let problem): problem
        }
    }
}
