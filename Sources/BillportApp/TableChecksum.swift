import Relational
import Tokens

/// A table's rows in key order folded into one SHA-256, computed the same way from either
/// backend: each value in a tagged, length-prefixed canonical form (NULL, a 64-bit integer, a
/// double's bits, UTF-8 text, bytes), each row chained onto the digest of those before it, so
/// that any changed, missing, extra or reordered row changes the result.
struct TableChecksum: Sendable, Equatable {
    private(set) var digest = [UInt8](repeating: 0, count: 32)
    private(set) var rows = 0

    mutating func add(_ row: [SQLValue]) {
        var bytes = digest
        for value in row { Self.append(value, to: &bytes) }
        digest = Digest.sha256(bytes)
        rows += 1
    }

    /// The first 16 hex digits, enough to show beside a row count.
    var shortHex: String { digest.prefix(8).map { String(format: "%02x", $0) }.joined() }

    private static func append(_ value: SQLValue, to bytes: inout [UInt8]) {
        switch value {
        case .null:
            bytes.append(0)
        case .integer(let number):
            bytes.append(1)
            bytes += withUnsafeBytes(of: number.bigEndian, Array.init)
        case .real(let number):
            bytes.append(2)
            bytes += withUnsafeBytes(of: number.bitPattern.bigEndian, Array.init)
        case .text(let text):
            bytes.append(3)
            appendLength(text.utf8.count, to: &bytes)
            bytes += text.utf8
        case .blob(let blob):
            bytes.append(4)
            appendLength(blob.count, to: &bytes)
            bytes += blob
        }
    }

    private static func appendLength(_ count: Int, to bytes: inout [UInt8]) {
        bytes += withUnsafeBytes(of: UInt64(count).bigEndian, Array.init)
    }
}

extension SQLRow {
    /// The row's values read as `kinds` say (NULL stays NULL).
    func values(_ kinds: [CopyColumnKind]) -> [SQLValue] {
        kinds.enumerated().map { index, kind in
            let column = Int32(index)
            if isNull(column) { return .null }
            switch kind {
            case .integer: return .integer(int64(column))
            case .real: return .real(double(column))
            case .text: return .text(string(column))
            case .blob: return .blob(blob(column))
            case .numeric: return Int64(string(column)).map(SQLValue.integer) ?? .real(double(column))
            }
        }
    }
}
