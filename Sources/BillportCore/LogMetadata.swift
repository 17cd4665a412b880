/// A record's key-value pairs in the order the code gives them. Written as a dictionary literal
/// (`["method": "GET", "status": "200"]`) but kept as an array: a log line needs neither hashing
/// nor a sort, and reads in the order its author chose.
public struct LogMetadata: Sendable, ExpressibleByDictionaryLiteral {
    /// The pairs, in order; a key appears once when built through `subscript` or `merging`.
    public private(set) var pairs: [(key: String, value: String)]

    public init(_ pairs: [(key: String, value: String)] = []) {
        self.pairs = pairs
    }

    public init(dictionaryLiteral elements: (String, String)...) {
        pairs = elements
    }

    public var isEmpty: Bool { pairs.isEmpty }

    /// The value of `key`; setting replaces it in place or appends it.
    public subscript(key: String) -> String? {
        get { pairs.first { $0.key == key }?.value }
        set {
            let index = pairs.firstIndex { $0.key == key }
            switch (index, newValue) {
            case (let index?, let value?): pairs[index].value = value
            case (let index?, nil): pairs.remove(at: index)
            case (nil, let value?): pairs.append((key: key, value: value))
            case (nil, nil): break
            }
        }
    }

    /// These pairs with `other`'s: a key both hold keeps its place and takes `other`'s value
    /// (or `combine`'s, given both values); new keys follow in `other`'s order.
    public func merging(_ other: LogMetadata, uniquingKeysWith combine: (String, String) -> String = { $1 }) -> LogMetadata {
        var merged = self
        for (key, value) in other.pairs {
            if let index = merged.pairs.firstIndex(where: { $0.key == key }) {
                merged.pairs[index].value = combine(merged.pairs[index].value, value)
            } else {
                merged.pairs.append((key: key, value: value))
            }
        }
        return merged
    }
}
