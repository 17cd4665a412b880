/// A rule a decoded value broke, in words a client can read ("must be one of: open, …").
/// Thrown as the `underlyingError` of `DecodingError.dataCorrupted`, so that whoever answers a
/// client can tell Billport's sentences from the runtime's, which never reach a client.
public struct DecodingRule: Error, Sendable, CustomStringConvertible {
    public let message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }

    /// The `DecodingError` carrying this rule at `codingPath`.
    public func error(at codingPath: [any CodingKey]) -> DecodingError {
        .dataCorrupted(DecodingError.Context(codingPath: codingPath, debugDescription: message, underlyingError: self))
    }

    /// What an amount field says about a fraction, a string or a number too large.
    public static let minorUnits = DecodingRule("must be an integer amount in minor units (e.g. 150 for 1.50)")
}

extension Decoder {
    /// A string-valued enum whose error lists the accepted values rather than the type's name.
    public func decodeChoice<T: CaseIterable & RawRepresentable>(_ type: T.Type = T.self) throws -> T where T.RawValue == String {
        let container = try singleValueContainer()
        let accepted = DecodingRule("must be one of: " + T.allCases.map(\.rawValue).joined(separator: ", "))
        let text: String
        do {
            text = try container.decode(String.self)
        } catch DecodingError.typeMismatch {
            throw accepted.error(at: codingPath)
        }
        guard let value = T(rawValue: text) else { throw accepted.error(at: codingPath) }
        return value
    }
}

extension KeyedDecodingContainer {
    /// An amount in minor units: an integer, nothing else (`1.5` is refused naming the field).
    public func decodeMinorUnits(forKey key: Key) throws -> Int64 {
        guard contains(key), try !decodeNil(forKey: key) else { return try decode(Int64.self, forKey: key) }
        do {
            return try decode(Int64.self, forKey: key)
        } catch {
            // Any failure here is the value's: a string, a fraction (which JSONDecoder reports as
            // an internal error without a path), a number too large.
            throw DecodingRule.minorUnits.error(at: codingPath + [key])
        }
    }

    /// The same for an optional amount: absent or null is nil.
    public func decodeMinorUnitsIfPresent(forKey key: Key) throws -> Int64? {
        guard contains(key), try !decodeNil(forKey: key) else { return nil }
        return try decodeMinorUnits(forKey: key)
    }
}

extension KeyedDecodingContainer {
    /// A field of a partial update (`PATCH`): nil when absent (left as it is), `.some(nil)` for
    /// an explicit null (cleared).
    public func decodeChange<T: Decodable>(_ type: T.Type = T.self, forKey key: Key) throws -> T?? {
        guard contains(key) else { return nil }
        return .some(try decodeIfPresent(T.self, forKey: key))
    }

    /// A field of a partial update that cannot be cleared: nil when absent, refused when null.
    public func decodeUnlessAbsent<T: Decodable>(_ type: T.Type = T.self, forKey key: Key) throws -> T? {
        guard contains(key) else { return nil }
        return try decode(T.self, forKey: key)
    }
}
