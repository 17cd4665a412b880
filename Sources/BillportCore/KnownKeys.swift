/// A JSON object whose keys are all known, so that a request with any other key is refused
/// naming it rather than silently ignored (a misspelt optional field would otherwise be lost).
///
/// The keys are the type's own `CodingKeys`, so the list cannot drift from what is decoded.
/// `nested` names the keys whose value is an object, or an array of objects, of another
/// `KnownKeys` type (an invoice's `lines`).
public protocol KnownKeys {
    associatedtype CodingKeys: CodingKey & CaseIterable
    static var nested: [String: any KnownKeys.Type] { get }
}

extension KnownKeys {
    public static var nested: [String: any KnownKeys.Type] { [:] }

    static var keyNames: Set<String> { Set(CodingKeys.allCases.map(\.stringValue)) }

    /// The first key of `json` (as `JSONSerialization` parsed it) that the type does not read,
    /// as a path like `lines[0].colour`, with the keys that would have been accepted there;
    /// nil when every key is known. Values that are not objects are left to the decoder.
    public static func unknownKey(in json: Any, at path: String = "") -> (field: String, known: [String])? {
        guard let object = json as? [String: Any] else { return nil }
        let known = keyNames
        if let unknown = object.keys.sorted().first(where: { !known.contains($0) }) {
            return (path.isEmpty ? unknown : "\(path).\(unknown)", known.sorted())
        }
        for (key, type) in nested.sorted(by: { $0.key < $1.key }) {
            let here = path.isEmpty ? key : "\(path).\(key)"
            if let elements = object[key] as? [Any] {
                for (index, element) in elements.enumerated() {
                    if let found = type.unknownKey(in: element, at: "\(here)[\(index)]") { return found }
                }
            } else if let value = object[key], let found = type.unknownKey(in: value, at: here) {
                return found
            }
        }
        return nil
    }
}
