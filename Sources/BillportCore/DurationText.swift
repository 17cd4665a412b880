/// Reads and writes human durations in config and on the command line: `250ms`, `30s`, `5m`,
/// `2h`, `30d`, or a sum such as `1h30m`.
public enum DurationText {
    /// Parses `text`; nil when it is not a duration.
    public static func parse(_ text: String) -> Duration? {
        var total: Int64 = 0
        var digits = ""
        var unit = ""
        var sawAny = false
        func flush() -> Bool {
            guard let value = Int64(digits) else { return false }
            let factor: Int64
            switch unit {
            case "ms": factor = 1
            case "s": factor = 1000
            case "m": factor = 60_000
            case "h": factor = 3_600_000
            case "d": factor = 86_400_000
            default: return false
            }
            let (product, overflow) = value.multipliedReportingOverflow(by: factor)
            guard !overflow else { return false }
            total += product
            digits = ""
            unit = ""
            sawAny = true
            return true
        }
        for character in text.lowercased() {
            if character.isASCII, character.isNumber {
                if !unit.isEmpty { guard flush() else { return nil } }
                digits.append(character)
            } else if character.isLetter, !digits.isEmpty {
                unit.append(character)
            } else {
                return nil
            }
        }
        guard !digits.isEmpty, flush(), sawAny else { return nil }
        return .milliseconds(total)
    }

    /// Formats `duration` compactly (`1h30m`, `250ms`), the inverse of `parse` for whole units.
    public static func format(_ duration: Duration) -> String {
        var remaining = duration.milliseconds
        if remaining == 0 { return "0s" }
        var parts = ""
        for (unit, size) in [("d", Int64(86_400_000)), ("h", 3_600_000), ("m", 60_000), ("s", 1000), ("ms", 1)]
        where remaining >= size {
            parts += "\(remaining / size)\(unit)"
            remaining %= size
        }
        return parts
    }
}
