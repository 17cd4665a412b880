/// A parameter of a statement. Values travel apart from the SQL text (`$1`, `$2`, …), so no
/// value is ever spliced into a statement.
public enum PostgresValue: Sendable, Hashable {
    case null
    case int64(Int64)
    case double(Double)
    case bool(Bool)
    case text(String)
    case bytea([UInt8])

    /// The type OID sent with the parameter, so `SELECT $1` knows what it got (0 lets the server infer).
    var typeOID: UInt32 {
        switch self {
        case .null: return 0
        case .int64: return 20
        case .double: return 701
        case .bool: return 16
        case .text: return 25
        case .bytea: return 17
        }
    }

    /// The wire form: text for everything but bytea, which goes binary (no escaping, no doubling).
    func encoded() throws(PostgresError) -> EncodedParameter {
        switch self {
        case .null: return .null
        case .int64(let value): return .text(String(value))
        case .double(let value):
            if value.isNaN { return .text("NaN") }
            if value.isInfinite { return .text(value < 0 ? "-Infinity" : "Infinity") }
            return .text("\(value)")
        case .bool(let value): return .text(value ? "t" : "f")
        case .text(let value):
            guard !value.utf8.contains(0) else {
                throw PostgresError(kind: .invalidInput, message: "a text parameter contains a NUL character, which PostgreSQL text cannot hold")
            }
            return .text(value)
        case .bytea(let bytes): return .binary(bytes)
        }
    }

    /// The text of this value, when it is one a server message might quote back.
    var quotable: String? {
        switch self {
        case .text(let value): return value.count >= 3 ? value : nil
        case .int64(let value): return value >= 1000 || value <= -1000 ? String(value) : nil
        default: return nil
        }
    }
}

/// A parameter as libpq takes it.
enum EncodedParameter {
    case null
    case text(String)
    case binary([UInt8])
}
