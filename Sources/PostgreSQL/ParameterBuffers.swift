/// The parameters of one statement as the C arrays libpq reads, alive for `body` only.
enum ParameterBuffers {
    /// libpq counts parameters in an Int32, the protocol in an Int16.
    static let maximumCount = 65_535

    static func with<R>(_ parameters: [PostgresValue],
                        _ body: (_ types: [UInt32], _ values: [UnsafePointer<CChar>?], _ lengths: [Int32], _ formats: [Int32]) throws(PostgresError) -> R) throws(PostgresError) -> R {
        guard parameters.count <= maximumCount else {
            throw PostgresError(kind: .invalidInput, message: "\(parameters.count) parameters, at most \(maximumCount) are allowed")
        }
        var encoded: [EncodedParameter] = []
        encoded.reserveCapacity(parameters.count)
        for parameter in parameters { encoded.append(try parameter.encoded()) }

        var storage: [UnsafeMutableRawPointer] = []
        defer { for pointer in storage { pointer.deallocate() } }
        var values: [UnsafePointer<CChar>?] = []
        var lengths: [Int32] = []
        var formats: [Int32] = []
        for parameter in encoded {
            switch parameter {
            case .null:
                values.append(nil); lengths.append(0); formats.append(0)
            case .text(let text):
                let bytes = Array(text.utf8) + [0]
                values.append(copy(bytes, into: &storage)); lengths.append(0); formats.append(0)
            case .binary(let bytes):
                guard bytes.count < Int32.max else {
                    throw PostgresError(kind: .invalidInput, message: "a bytea parameter of \(bytes.count) bytes is too large")
                }
                values.append(copy(bytes, into: &storage)); lengths.append(Int32(bytes.count)); formats.append(1)
            }
        }
        return try body(parameters.map(\.typeOID), values, lengths, formats)
    }

    /// A copy of `bytes` (at least one byte, so an empty bytea is still a non-null pointer).
    private static func copy(_ bytes: [UInt8], into storage: inout [UnsafeMutableRawPointer]) -> UnsafePointer<CChar> {
        let pointer = UnsafeMutableRawPointer.allocate(byteCount: max(bytes.count, 1), alignment: 1)
        storage.append(pointer)
        bytes.withUnsafeBytes { source in
            if let base = source.baseAddress { pointer.copyMemory(from: base, byteCount: bytes.count) }
        }
        return UnsafePointer(pointer.assumingMemoryBound(to: CChar.self))
    }
}
