import Foundation
import Synchronization

/// How log lines are written: `text` for people (`2026-11-22T10:00:00.123Z info http: request
/// method=GET …`), `json` for Loki, Elasticsearch or journald (one object per line).
public enum LogFormat: String, Sendable, CaseIterable {
    case text, json
}

extension LogRecord {
    /// The record as one line of `format`, without the newline.
    public func line(_ format: LogFormat) -> String {
        var bytes: [UInt8] = []
        append(format, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `2026-11-22T10:00:00.123Z info worker: job done job=12 kind=pdf.render` — one line,
    /// metadata in the order given, values with spaces, quotes or `=` quoted, backslashes and line
    /// breaks escaped so that a record can never forge a second line.
    public var formatted: String { line(.text) }

    /// Appends the record as one line of `format` (no newline) to `out`. Built byte by byte
    /// over the strings' UTF-8: no Foundation formatter, no searching, no sort.
    public func append(_ format: LogFormat, to out: inout [UInt8]) {
        switch format {
        case .text: appendText(to: &out)
        case .json: appendJSON(to: &out)
        }
    }

    private func appendText(to out: inout [UInt8]) {
        LogTimestamp.append(date.unixMilliseconds, to: &out)
        out.append(0x20)
        out.append(contentsOf: level.description.utf8)
        out.append(0x20)
        out.append(contentsOf: label.utf8)
        out.append(contentsOf: ": ".utf8)
        LogEscaping.appendText(message, quoting: false, to: &out)
        for (key, value) in metadata.pairs {
            out.append(0x20)
            out.append(contentsOf: key.utf8)
            out.append(UInt8(ascii: "="))
            LogEscaping.appendText(value, quoting: true, to: &out)
        }
    }

    /// `{"time":"…","level":"info","label":"http","message":"request","fields":{"method":"GET",…}}`:
    /// the metadata in a `fields` object of strings, so that no field can collide with the four
    /// members every line has.
    private func appendJSON(to out: inout [UInt8]) {
        out.append(contentsOf: #"{"time":""#.utf8)
        LogTimestamp.append(date.unixMilliseconds, to: &out)
        out.append(contentsOf: #"","level":""#.utf8)
        out.append(contentsOf: level.description.utf8)
        out.append(contentsOf: #"","label":"#.utf8)
        LogEscaping.appendJSONString(label, to: &out)
        out.append(contentsOf: #","message":"#.utf8)
        LogEscaping.appendJSONString(message, to: &out)
        out.append(contentsOf: #","fields":{"#.utf8)
        for (index, (key, value)) in metadata.pairs.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            LogEscaping.appendJSONString(key, to: &out)
            out.append(UInt8(ascii: ":"))
            LogEscaping.appendJSONString(value, to: &out)
        }
        out.append(contentsOf: "}}".utf8)
    }
}

/// `2026-11-22T10:00:00.123Z` from integer milliseconds. The part up to the seconds is computed
/// once per second and kept, so most lines only add the three digits of milliseconds.
enum LogTimestamp {
    private struct Cached {
        var second = Int64.min
        var prefix: [UInt8] = []
    }
    private static let cache = Mutex(Cached())

    static func append(_ millis: Int64, to out: inout [UInt8]) {
        let second = millis >= 0 ? millis / 1000 : (millis - 999) / 1000
        let fraction = Int(millis - second * 1000)
        cache.withLock { cached in
            if cached.second != second {
                cached.second = second
                cached.prefix = prefix(epochSeconds: second)
            }
            out.append(contentsOf: cached.prefix)
        }
        out.append(UInt8(ascii: "0") + UInt8(fraction / 100))
        out.append(UInt8(ascii: "0") + UInt8(fraction / 10 % 10))
        out.append(UInt8(ascii: "0") + UInt8(fraction % 10))
        out.append(UInt8(ascii: "Z"))
    }

    /// `2026-11-22T10:00:00.`
    static func prefix(epochSeconds: Int64) -> [UInt8] {
        let parts = UTCDateParts(epochSeconds: Int(epochSeconds))
        var bytes: [UInt8] = []
        bytes.reserveCapacity(20)
        func digits(_ value: Int, _ width: Int) {
            var divisor = 1
            for _ in 1..<width { divisor *= 10 }
            while divisor > 0 {
                bytes.append(UInt8(ascii: "0") + UInt8(max(0, value) / divisor % 10))
                divisor /= 10
            }
        }
        digits(parts.year, 4); bytes.append(UInt8(ascii: "-"))
        digits(parts.month, 2); bytes.append(UInt8(ascii: "-"))
        digits(parts.day, 2); bytes.append(UInt8(ascii: "T"))
        digits(parts.hour, 2); bytes.append(UInt8(ascii: ":"))
        digits(parts.minute, 2); bytes.append(UInt8(ascii: ":"))
        digits(parts.second, 2); bytes.append(UInt8(ascii: "."))
        return bytes
    }
}

/// Escaping for both formats by one scan over the UTF-8 bytes; text that needs none (nearly
/// all of it) is copied in one piece. Bytes from 0x80 up pass through: a Swift string is valid
/// UTF-8, so non-ASCII text reaches the line unchanged.
enum LogEscaping {
    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    /// Text format: `\`, newline and carriage return escaped; with `quoting`, a value that is
    /// empty or holds a space, `"` or `=` is put in quotes with its `"` escaped.
    static func appendText(_ text: String, quoting: Bool, to out: inout [UInt8]) {
        var text = text
        text.withUTF8 { bytes in
            var needsEscape = false, needsQuotes = quoting && bytes.isEmpty
            for byte in bytes {
                switch byte {
                case 0x5C, 0x0A, 0x0D: needsEscape = true
                case 0x20, 0x22, 0x3D: needsQuotes = needsQuotes || quoting
                default: continue
                }
            }
            if !needsEscape && !needsQuotes {
                out.append(contentsOf: bytes)
                return
            }
            if needsQuotes { out.append(0x22) }
            for byte in bytes {
                switch byte {
                case 0x5C: out.append(contentsOf: [0x5C, 0x5C])
                case 0x0A: out.append(contentsOf: [0x5C, UInt8(ascii: "n")])
                case 0x0D: out.append(contentsOf: [0x5C, UInt8(ascii: "r")])
                case 0x22 where needsQuotes: out.append(contentsOf: [0x5C, 0x22])
                default: out.append(byte)
                }
            }
            if needsQuotes { out.append(0x22) }
        }
    }

    /// A JSON string literal (RFC 8259): quotes, `"` and `\` escaped, every control character
    /// below 0x20 as `\n`, `\r`, `\t`, `\b`, `\f` or `\u00XX`.
    static func appendJSONString(_ text: String, to out: inout [UInt8]) {
        var text = text
        out.append(0x22)
        text.withUTF8 { bytes in
            guard bytes.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }) else {
                out.append(contentsOf: bytes)
                return
            }
            for byte in bytes {
                switch byte {
                case 0x22: out.append(contentsOf: [0x5C, 0x22])
                case 0x5C: out.append(contentsOf: [0x5C, 0x5C])
                case 0x0A: out.append(contentsOf: [0x5C, UInt8(ascii: "n")])
                case 0x0D: out.append(contentsOf: [0x5C, UInt8(ascii: "r")])
                case 0x09: out.append(contentsOf: [0x5C, UInt8(ascii: "t")])
                case 0x08: out.append(contentsOf: [0x5C, UInt8(ascii: "b")])
                case 0x0C: out.append(contentsOf: [0x5C, UInt8(ascii: "f")])
                case ..<0x20: out.append(contentsOf: [0x5C, UInt8(ascii: "u"), 0x30, 0x30, hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
                default: out.append(byte)
                }
            }
        }
        out.append(0x22)
    }
}
