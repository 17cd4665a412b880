/// Header fields in arrival order, looked up without regard to ASCII case (RFC 9110 §5.1).
///
/// Duplicates are kept as separate fields in order; nothing is merged silently.
public struct HTTPHeaders: Sendable, Equatable, Sequence, ExpressibleByDictionaryLiteral {
    /// One header field line: a name and its value, both as received or as set.
    public struct Field: Sendable, Equatable {
        /// The field name, in the case it was given.
        public var name: String
        /// The field value, with surrounding whitespace removed.
        public var value: String

        /// Makes a field.
        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    /// Every field in order, duplicates included.
    public private(set) var fields: [Field]

    /// Makes an empty set of headers.
    public init() { fields = [] }

    /// Makes headers from name-value pairs, keeping their order.
    public init(_ pairs: [(String, String)]) {
        fields = pairs.map { Field(name: $0.0, value: $0.1) }
    }

    /// Lets tests and handlers write `["Content-Type": "text/plain"]`.
    public init(dictionaryLiteral elements: (String, String)...) {
        self.init(elements)
    }

    /// The number of field lines.
    public var count: Int { fields.count }

    /// Whether there are no fields at all.
    public var isEmpty: Bool { fields.isEmpty }

    /// The first value for `name`, or nil; use `values(for:)` where duplicates matter.
    public subscript(name: String) -> String? {
        fields.first { Self.namesMatch($0.name, name) }?.value
    }

    /// Every value for `name`, in arrival order.
    public func values(for name: String) -> [String] {
        fields.filter { Self.namesMatch($0.name, name) }.map(\.value)
    }

    /// Whether at least one field is called `name`.
    public func contains(_ name: String) -> Bool {
        fields.contains { Self.namesMatch($0.name, name) }
    }

    /// Appends a field, keeping any earlier ones with the same name.
    public mutating func add(_ name: String, _ value: String) {
        fields.append(Field(name: name, value: value))
    }

    /// Replaces every field called `name` with a single one.
    public mutating func set(_ name: String, _ value: String) {
        remove(name)
        add(name, value)
    }

    /// Removes every field called `name`.
    public mutating func remove(_ name: String) {
        fields.removeAll { Self.namesMatch($0.name, name) }
    }

    /// Iterates over the fields in order.
    public func makeIterator() -> IndexingIterator<[Field]> { fields.makeIterator() }

    /// The comma-separated list elements of every `name` field, lowercased and trimmed,
    /// empty elements dropped (RFC 9110 §5.6.1). Split on the comma byte, not on Characters:
    /// a combining mark after a comma would otherwise hide it (`close,\u{301}` read as one
    /// element), and the server would read a list differently from a proxy in front of it.
    func listTokens(for name: String) -> [String] {
        var tokens: [String] = []
        for field in fields where Self.namesMatch(field.name, name) {
            for element in field.value.utf8.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: true) {
                let trimmed = String(decoding: element, as: UTF8.self).trimmingASCIIWhitespace()
                if !trimmed.isEmpty { tokens.append(trimmed.lowercasedASCII()) }
            }
        }
        return tokens
    }

    /// Compares two names byte by byte, folding ASCII case only.
    static func namesMatch(_ lhs: String, _ rhs: String) -> Bool {
        var left = lhs.utf8.makeIterator()
        var right = rhs.utf8.makeIterator()
        while true {
            switch (left.next(), right.next()) {
            case (nil, nil):
                return true
            case let (a?, b?):
                if a != b && HTTPSyntax.lowercased(a) != HTTPSyntax.lowercased(b) { return false }
            default:
                return false
            }
        }
    }
}

extension StringProtocol {
    /// Drops leading and trailing spaces and tabs (OWS, RFC 9110 §5.6.3).
    func trimmingASCIIWhitespace() -> String {
        let bytes = Array(utf8)
        var start = 0
        var end = bytes.count
        while start < end, bytes[start] == 0x20 || bytes[start] == 0x09 { start += 1 }
        while end > start, bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09 { end -= 1 }
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }

    /// Lowercases ASCII letters only, leaving every other byte alone.
    func lowercasedASCII() -> String {
        String(decoding: utf8.map(HTTPSyntax.lowercased), as: UTF8.self)
    }
}
