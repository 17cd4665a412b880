/// XML written straight into bytes: element names are static, every text is escaped on the way
/// in, so no tree is built and nothing is parsed back. Characters XML 1.0 forbids (controls other
/// than tab, line feed and carriage return; U+FFFE, U+FFFF) are dropped rather than refused: an
/// invoice stays valid whatever a tenant typed.
struct XMLBytes {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int) { bytes.reserveCapacity(capacity) }

    /// Markup given as a literal (tags, declarations): never escaped.
    mutating func raw(_ markup: StaticString) {
        markup.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    mutating func open(_ name: StaticString) {
        bytes.append(UInt8(ascii: "<"))
        raw(name)
        bytes.append(UInt8(ascii: ">"))
    }

    mutating func close(_ name: StaticString) {
        bytes.append(UInt8(ascii: "<"))
        bytes.append(UInt8(ascii: "/"))
        raw(name)
        bytes.append(UInt8(ascii: ">"))
    }

    /// `<name>text</name>` with `text` escaped.
    mutating func element(_ name: StaticString, _ text: String) {
        open(name)
        escaped(text)
        close(name)
    }

    /// `<outer><inner>text</inner></outer>`: CII wraps most values in a group of one.
    mutating func element(_ outer: StaticString, _ inner: StaticString, _ text: String) {
        open(outer)
        element(inner, text)
        close(outer)
    }

    /// `<name attribute="value">text</name>` with `value` and `text` escaped.
    mutating func element(_ name: StaticString, attribute: StaticString, value: String, _ text: String) {
        bytes.append(UInt8(ascii: "<"))
        raw(name)
        bytes.append(UInt8(ascii: " "))
        raw(attribute)
        bytes.append(contentsOf: [UInt8(ascii: "="), UInt8(ascii: "\"")])
        escaped(value)
        bytes.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: ">")])
        escaped(text)
        close(name)
    }

    /// `text` as character data, fit for element content and quoted attribute values alike.
    mutating func escaped(_ text: String) {
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x26: raw("&amp;")
            case 0x3C: raw("&lt;")
            case 0x3E: raw("&gt;")
            case 0x22: raw("&quot;")
            case 0x27: raw("&apos;")
            case 0x0D: raw("&#13;")
            case 0x09, 0x0A, 0x20..<0x7F: bytes.append(UInt8(truncatingIfNeeded: scalar.value))
            case 0..<0x20, 0xFFFE, 0xFFFF: continue
            default: bytes.append(contentsOf: UTF8.encode(scalar)!)
            }
        }
    }
}
