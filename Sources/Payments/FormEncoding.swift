/// A value in a form body with Stripe's nested-key convention: objects become `key[sub]`,
/// lists become `key[0]`, so `["line_items": [["quantity": "1"]]]` sends `line_items[0][quantity]=1`.
public indirect enum FormValue: Sendable, Equatable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral {
    /// A leaf.
    case string(String)
    /// An ordered list, keyed by index.
    case list([FormValue])
    /// An object; its keys are sent sorted, so equal objects encode to equal bodies.
    case object([String: FormValue])

    /// `"payment"`.
    public init(stringLiteral value: String) { self = .string(value) }
    /// `4200`, sent as its decimal digits.
    public init(integerLiteral value: Int64) { self = .string(String(value)) }
    /// `[a, b]`, sent as `key[0]`, `key[1]`.
    public init(arrayLiteral elements: FormValue...) { self = .list(elements) }
    /// `["a": …]`, sent as `key[a]`; a repeated key keeps its last value.
    public init(dictionaryLiteral elements: (String, FormValue)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
}

/// `application/x-www-form-urlencoded` bodies as the WHATWG URL Standard serialises them
/// (§5.2, the urlencoded serializer): UTF-8, space as `+`, ASCII letters, digits and `*-._`
/// as they are, every other byte as `%XX`. Keys are encoded the same way as values.
///
/// Encoding happens once, here: a URL value such as Stripe's
/// `https://shop.example/paid?session={CHECKOUT_SESSION_ID}` must reach the provider with its
/// braces intact after one decoding, so callers pass it raw, never pre-encoded.
public enum FormEncoding {
    /// The flattened `(name, value)` pairs of `object`, keys sorted at every level, lists in order.
    /// Empty lists and objects send nothing.
    public static func fields(_ object: [String: FormValue]) -> [(name: String, value: String)] {
        var fields: [(name: String, value: String)] = []
        for key in object.keys.sorted() {
            flatten(object[key]!, name: key, into: &fields)
        }
        return fields
    }

    /// The body for `object`: `a=1&b%5Bc%5D=x+y`.
    public static func encode(_ object: [String: FormValue]) -> String {
        encode(fields: fields(object))
    }

    /// The body for already flat pairs, in their order.
    public static func encode(fields: [(name: String, value: String)]) -> String {
        fields.map { percentEncode($0.name) + "=" + percentEncode($0.value) }.joined(separator: "&")
    }

    /// One name or value, encoded per the WHATWG form rules.
    public static func percentEncode(_ text: String) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "*"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"):
                bytes.append(byte)
            case UInt8(ascii: " "):
                bytes.append(UInt8(ascii: "+"))
            default:
                bytes += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func flatten(_ value: FormValue, name: String, into fields: inout [(name: String, value: String)]) {
        switch value {
        case .string(let text):
            fields.append((name, text))
        case .list(let items):
            for (index, item) in items.enumerated() {
                flatten(item, name: "\(name)[\(index)]", into: &fields)
            }
        case .object(let object):
            for key in object.keys.sorted() {
                flatten(object[key]!, name: "\(name)[\(key)]", into: &fields)
            }
        }
    }
}
