/// The Prometheus text exposition format, version 0.0.4.
public enum MetricText {
    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    /// `[a-zA-Z_:][a-zA-Z0-9_:]*` (label names do not take `:`, and none of ours has one).
    static func isValidName(_ name: String) -> Bool {
        guard let first = name.utf8.first, !(UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) else { return false }
        return name.utf8.allSatisfy { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ":")
        }
    }

    /// A label value: backslash, double quote and line feed escaped.
    public static func escapeLabelValue(_ value: String) -> String {
        escape(value, quote: true)
    }

    /// Help text: backslash and line feed escaped.
    public static func escapeHelp(_ value: String) -> String {
        escape(value, quote: false)
    }

    private static func escape(_ value: String, quote: Bool) -> String {
        guard value.utf8.contains(where: { $0 == UInt8(ascii: "\\") || $0 == UInt8(ascii: "\n") || (quote && $0 == UInt8(ascii: "\"")) }) else {
            return value
        }
        var escaped = ""
        for character in value.unicodeScalars {
            switch character {
            case "\\": escaped += "\\\\"
            case "\n": escaped += "\\n"
            case "\"" where quote: escaped += "\\\""
            default: escaped.unicodeScalars.append(character)
            }
        }
        return escaped
    }

    /// A sample value: integers without a fraction, `+Inf`, `-Inf`, `NaN`.
    public static func format(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }

    /// `{a="1",b="2"}`, or nothing without labels.
    static func labelSet(_ names: [String], _ values: [String], extra: (String, String)? = nil) -> String {
        var pairs = zip(names, values).map { "\($0)=\"\(escapeLabelValue($1))\"" }
        if let extra { pairs.append("\(extra.0)=\"\(extra.1)\"") }
        return pairs.isEmpty ? "" : "{" + pairs.joined(separator: ",") + "}"
    }
}

/// A family the registry can render without knowing its series type.
protocol RenderableFamily: Sendable {
    var familyName: String { get }
    func render(into text: inout String)
}

extension MetricFamily: RenderableFamily {
    var familyName: String { name }

    func render(into text: inout String) {
        text += "# HELP \(name) \(MetricText.escapeHelp(help))\n# TYPE \(name) \(type.rawValue)\n"
        for (values, series) in allSeries {
            switch series {
            case let counter as Counter:
                if hidesUntouched, counter.count == 0 { continue }
                text += "\(name)\(MetricText.labelSet(labelNames, values)) \(counter.count)\n"
            case let gauge as Gauge:
                text += "\(name)\(MetricText.labelSet(labelNames, values)) \(MetricText.format(gauge.value))\n"
            case let histogram as Histogram:
                let counts = histogram.cumulativeCounts
                if hidesUntouched, counts.last == 0 { continue }
                for (bound, count) in zip(histogram.bounds.map(MetricText.format) + ["+Inf"], counts) {
                    text += "\(name)_bucket\(MetricText.labelSet(labelNames, values, extra: ("le", bound))) \(count)\n"
                }
                let labels = MetricText.labelSet(labelNames, values)
                text += "\(name)_sum\(labels) \(MetricText.format(histogram.sumValue))\n"
                text += "\(name)_count\(labels) \(counts.last ?? 0)\n"
            default:
                continue
            }
        }
    }
}
