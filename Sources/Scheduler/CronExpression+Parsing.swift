import Foundation

extension CronExpression {
    /// Parses `expression`; throws CronExpressionError naming the field and the bad token.
    ///
    /// Strict on purpose: a typo in a stored schedule should fail when it is saved, not silently never run.
    /// Accepts `*`, `n`, `a-b`, `*/n`, `a-b/n`, `a/n` (a through the field's maximum) and comma lists of
    /// these; month and weekday names (`jan`, `mon`, case-insensitive); and the macros `@yearly`,
    /// `@annually`, `@monthly`, `@weekly`, `@daily`, `@midnight`, `@hourly`. Also rejects steps larger
    /// than the field's span (`*/90` in minutes cannot mean "every 90 minutes") and expressions whose
    /// day-of-month never occurs in their months (`0 0 30 2 *`).
    public init(_ expression: String) throws(CronExpressionError) {
        let source = expression.trimmingCharacters(in: .whitespacesAndNewlines)
        func failure(_ reason: String, field: String? = nil, token: String? = nil) -> CronExpressionError {
            CronExpressionError(expression: source, field: field, token: token, reason: reason)
        }

        guard !source.isEmpty else { throw failure("expression is empty") }
        var fieldsText = source
        if source.hasPrefix("@") {
            let words = source.split(whereSeparator: \.isWhitespace)
            guard words.count == 1 else { throw failure("a macro such as @daily must be the whole expression") }
            let macro = source.lowercased()
            if macro == "@reboot" {
                throw failure("@reboot is not supported (the scheduler has no boot event); "
                              + "use a time-based schedule such as @daily")
            }
            guard let expansion = Self.macros[macro] else {
                throw failure("unknown macro (expected @yearly, @annually, @monthly, @weekly, @daily, "
                              + "@midnight or @hourly)", token: source)
            }
            fieldsText = expansion
        }

        let fields = fieldsText.split(whereSeparator: \.isWhitespace)
        guard fields.count == 5 else {
            throw failure("expected 5 fields (minute hour day-of-month month day-of-week) "
                          + "or a macro such as @daily, got \(fields.count)")
        }

        var sets: [UInt64] = []
        for (spec, text) in zip(FieldSpec.all, fields) {
            var bits: UInt64 = 0
            for item in text.split(separator: ",", omittingEmptySubsequences: false) {
                guard !item.isEmpty else {
                    throw failure("empty list item", field: spec.name, token: String(text))
                }
                do throws(Problem) {
                    bits |= try Self.parseItem(item, spec)
                } catch {
                    throw failure(error.reason, field: spec.name, token: String(item))
                }
            }
            sets.append(bits)
        }

        // Day-of-week 7 is another name for Sunday (0).
        let sunday7: UInt64 = 1 << 7
        let daysOfWeek = sets[4] & sunday7 != 0 ? (sets[4] & ~sunday7) | 1 : sets[4]
        let orRule = fields[2].first != "*" && fields[4].first != "*"

        if !orRule {
            // Both day fields must match, so some selected day-of-month has to exist in a selected month.
            // (Any date that exists falls on every weekday within a 400-year cycle, so weekdays cannot
            // make the expression impossible.) With the OR rule the weekday alone always fires.
            let longestMonth = [0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
            let possible = (1...12).contains { month in
                let daysInMonth: UInt64 = (UInt64.max >> UInt64(63 - longestMonth[month])) & ~1
                return sets[3] & (1 << UInt64(month)) != 0 && sets[2] & daysInMonth != 0
            }
            if !possible {
                throw failure("never fires: day-of-month \"\(fields[2])\" does not occur in month \"\(fields[3])\"")
            }
        }

        self.init(minutes: sets[0], hours: sets[1], daysOfMonth: sets[2], months: sets[3],
                  daysOfWeek: daysOfWeek, daysUseOrRule: orRule, source: source)
    }

    static let macros: [String: String] = [
        "@yearly": "0 0 1 1 *",
        "@annually": "0 0 1 1 *",
        "@monthly": "0 0 1 * *",
        "@weekly": "0 0 * * 0",
        "@daily": "0 0 * * *",
        "@midnight": "0 0 * * *",
        "@hourly": "0 * * * *",
    ]

    /// The bounds and optional names of one field.
    struct FieldSpec: Sendable {
        let name: String
        let range: ClosedRange<Int>
        /// Three-letter lowercase names; index `i` stands for `range.lowerBound + i`.
        let names: [String]
        let nameKind: String

        static let all: [FieldSpec] = [
            FieldSpec(name: "minute", range: 0...59, names: [], nameKind: ""),
            FieldSpec(name: "hour", range: 0...23, names: [], nameKind: ""),
            FieldSpec(name: "day-of-month", range: 1...31, names: [], nameKind: ""),
            FieldSpec(name: "month", range: 1...12,
                      names: ["jan", "feb", "mar", "apr", "may", "jun",
                              "jul", "aug", "sep", "oct", "nov", "dec"],
                      nameKind: "month"),
            FieldSpec(name: "day-of-week", range: 0...7,
                      names: ["sun", "mon", "tue", "wed", "thu", "fri", "sat"],
                      nameKind: "day"),
        ]
    }

    /// A problem inside one list item; the caller adds the field and the item.
    struct Problem: Error {
        let reason: String
        init(_ reason: String) { self.reason = reason }
    }

    /// One list item (`*`, `n`, `a-b`, each optionally followed by `/step`) as a bitmask.
    static func parseItem(_ item: Substring, _ spec: FieldSpec) throws(Problem) -> UInt64 {
        let parts = item.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2 else { throw Problem("only one \"/\" is allowed") }
        let base = parts[0]
        let hasStep = parts.count == 2

        let low: Int
        let high: Int
        if base == "*" {
            (low, high) = (spec.range.lowerBound, spec.range.upperBound)
        } else {
            let ends = base.split(separator: "-", omittingEmptySubsequences: false)
            guard ends.count <= 2 else { throw Problem("only one \"-\" is allowed") }
            low = try value(ends[0], spec)
            if ends.count == 2 {
                high = try value(ends[1], spec)
                guard low <= high else {
                    throw Problem("range \(ends[0])-\(ends[1]) is reversed (start after end)")
                }
            } else {
                // `a/n` means a through the field's maximum, every n.
                high = hasStep ? spec.range.upperBound : low
            }
        }

        var step = 1
        if hasStep {
            let text = parts[1]
            guard !text.isEmpty else { throw Problem("missing step after \"/\"") }
            guard text.allSatisfy(\.isASCIIDigit) else { throw Problem("step must be a number") }
            let span = spec.range.upperBound - spec.range.lowerBound
            guard text.count <= 4, let number = Int(text), number <= span else {
                throw Problem("step \(text) is larger than the field's span \(span)")
            }
            guard number >= 1 else { throw Problem("step must be at least 1") }
            step = number
        }

        var bits: UInt64 = 0
        for value in stride(from: low, through: high, by: step) {
            bits |= 1 << UInt64(value)
        }
        return bits
    }

    /// A number or (in the month and day-of-week fields) a three-letter name, checked against the range.
    static func value(_ text: Substring, _ spec: FieldSpec) throws(Problem) -> Int {
        let bounds = "\(spec.range.lowerBound)-\(spec.range.upperBound)"
        if text.isEmpty { throw Problem(spec.names.isEmpty ? "expected a number" : "expected a number or name") }
        if text.allSatisfy(\.isASCIIDigit) {
            guard text.count <= 4, let number = Int(text), spec.range.contains(number) else {
                throw Problem("\(text) is out of range \(bounds)")
            }
            return number
        }
        if text.allSatisfy(\.isASCIILetter) {
            guard !spec.names.isEmpty else {
                throw Problem("names are only allowed in the month and day-of-week fields")
            }
            guard let index = spec.names.firstIndex(of: text.lowercased()) else {
                let examples = "\(spec.names[0])-\(spec.names[spec.names.count - 1])"
                throw Problem("unknown \(spec.nameKind) name \"\(text)\" (expected \(examples) or \(bounds))")
            }
            return spec.range.lowerBound + index
        }
        if let odd = text.first(where: { !$0.isASCIIDigit && !$0.isASCIILetter }) {
            throw Problem("unexpected character \"\(odd)\"")
        }
        throw Problem(spec.names.isEmpty
                      ? "\"\(text)\" is not a number"
                      : "\"\(text)\" is neither a number nor a name")
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
    fileprivate var isASCIILetter: Bool { isASCII && isLetter }
}
