internal import CLibPQ

/// One row of a result, valid only inside the `map` closure that receives it. Columns are read
/// by position; a column that holds another type, or does not exist, throws `.decoding`.
public struct PostgresRow {
    private let result: OpaquePointer
    private let row: Int32

    init(result: OpaquePointer, row: Int32) {
        self.result = result
        self.row = row
    }

    /// How many columns the row has.
    public var columnCount: Int { Int(PQnfields(result)) }

    /// Whether the column is SQL NULL.
    public func isNull(_ column: Int) throws(PostgresError) -> Bool {
        try PQgetisnull(result, row, checked(column)) == 1
    }

    public func int64(_ column: Int) throws(PostgresError) -> Int64 {
        guard let value = Int64(try required(column, as: "an integer")) else { throw mismatch(column, "an integer") }
        return value
    }

    public func double(_ column: Int) throws(PostgresError) -> Double {
        guard let value = Double(try required(column, as: "a number")) else { throw mismatch(column, "a number") }
        return value
    }

    public func bool(_ column: Int) throws(PostgresError) -> Bool {
        switch try required(column, as: "a boolean") {
        case "t": return true
        case "f": return false
        default: throw mismatch(column, "a boolean")
        }
    }

    public func string(_ column: Int) throws(PostgresError) -> String {
        try required(column, as: "text")
    }

    /// The text of the column, or nil when it is NULL.
    public func optionalString(_ column: Int) throws(PostgresError) -> String? {
        try isNull(column) ? nil : text(column)
    }

    /// The bytes of a bytea column (sent by the server in its hex form, `\x…`).
    public func bytes(_ column: Int) throws(PostgresError) -> [UInt8] {
        let index = try checked(column)
        guard PQgetisnull(result, row, index) == 0 else { throw mismatch(column, "bytea", null: true) }
        guard PQftype(result, index) == 17, let hex = HexBytes.decode(PQgetvalue(result, row, index), count: Int(PQgetlength(result, row, index))) else {
            throw mismatch(column, "bytea")
        }
        return hex
    }

    private func text(_ column: Int) throws(PostgresError) -> String {
        let index = try checked(column)
        return String(cString: PQgetvalue(result, row, index))
    }

    private func required(_ column: Int, as type: String) throws(PostgresError) -> String {
        guard try !isNull(column) else { throw mismatch(column, type, null: true) }
        return try text(column)
    }

    private func checked(_ column: Int) throws(PostgresError) -> Int32 {
        guard column >= 0, column < columnCount else {
            throw PostgresError(kind: .decoding, message: "column \(column) does not exist (the row has \(columnCount))")
        }
        return Int32(column)
    }

    private func mismatch(_ column: Int, _ type: String, null: Bool = false) -> PostgresError {
        PostgresError(kind: .decoding, message: "column \(column) is \(null ? "NULL" : "not \(type)"), read as \(type)")
    }
}

/// The hex form of bytea (`\x` then two hex digits per byte), PostgreSQL's default output.
enum HexBytes {
    static func decode(_ text: UnsafePointer<CChar>?, count: Int) -> [UInt8]? {
        guard let text, count >= 2, count % 2 == 0, text[0] == 0x5C, text[1] == 0x78 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity((count - 2) / 2)
        var index = 2
        while index < count {
            guard let high = nibble(text[index]), let low = nibble(text[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }

    private static func nibble(_ character: CChar) -> UInt8? {
        let byte = UInt8(bitPattern: character)
        switch byte {
        case 0x30...0x39: return byte - 0x30
        case 0x61...0x66: return byte - 0x61 + 10
        case 0x41...0x46: return byte - 0x41 + 10
        default: return nil
        }
    }
}
