import BillportCore
import Foundation
import Testing

/// Both log formats: a JSON line is one object any JSON parser reads back to the very strings
/// logged, whatever they hold; a text line cannot be split into two; the time is right to the
/// millisecond on either side of a second.
@Suite struct LogFormatTests {
    static let hostile = [
        "plain", "", "say \"hi\"", #"back\slash"#, "line\nbreak", "cr\rlf", "tab\there", "\u{0}nul", "\u{1}\u{1F}\u{7F}",
        "\u{8}\u{C}", "Zoë Müller – 请求 🧾", "\u{2028}\u{2029}", "</script>", #"{"nested": "json"}"#, "a=b c", "\\\"\n",
        "\u{1B}[31mred\u{1B}[0m", "x=\"\" y",
    ]

    func object(_ line: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "not one JSON object: \(line)")
    }

    @Test func aJSONLineParsesBackToEveryStringLoggedWhateverItHolds() throws {
        for text in Self.hostile {
            let record = LogRecord(date: Date(unixMilliseconds: 1_764_775_800_123), level: .warning, label: text, message: text,
                                   metadata: [text: text, "route": "/invoice/{token}", "other": text + "!"])
            let line = record.line(.json)
            #expect(!line.contains("\n") && !line.contains("\r"), "a line break in \(line.debugDescription)")
            let object = try object(line)
            #expect(object["time"] as? String == "2025-12-03T15:30:00.123Z")
            #expect(object["level"] as? String == "warning")
            #expect(object["label"] as? String == text)
            #expect(object["message"] as? String == text)
            let fields = try #require(object["fields"] as? [String: String])
            #expect(fields == [text: text, "route": "/invoice/{token}", "other": text + "!"])
            #expect(Set(object.keys) == ["time", "level", "label", "message", "fields"])
        }
    }

    @Test func aJSONLineKeepsTheFieldsInTheOrderGivenAndCopiesNonASCIIAsIs() {
        let record = LogRecord(date: Date(unixMilliseconds: 0), level: .info, label: "http", message: "Zoë 🧾",
                               metadata: ["method": "GET", "route": "/healthz", "status": "200"])
        #expect(record.line(.json)
            == #"{"time":"1970-01-01T00:00:00.000Z","level":"info","label":"http","message":"Zoë 🧾","fields":{"method":"GET","route":"/healthz","status":"200"}}"#)
        #expect(LogRecord(date: Date(unixMilliseconds: 0), level: .info, label: "l", message: "\u{1}\t", metadata: [:]).line(.json)
            == #"{"time":"1970-01-01T00:00:00.000Z","level":"info","label":"l","message":"\u0001\t","fields":{}}"#)
    }

    @Test func aTextLineIsAlwaysOneLineAndItsValuesReadBack() {
        for text in Self.hostile {
            let line = LogRecord(date: Date(unixMilliseconds: 0), level: .info, label: "http", message: text, metadata: ["v": text]).line(.text)
            #expect(!line.contains("\n") && !line.contains("\r"), "a line break in \(line.debugDescription)")
            #expect(line.hasPrefix("1970-01-01T00:00:00.000Z info http: "))
        }
        let spaced = LogRecord(date: Date(unixMilliseconds: 0), level: .info, label: "http", message: "m", metadata: ["a": "x=\"\" y", "b": "é"])
        #expect(spaced.line(.text) == #"1970-01-01T00:00:00.000Z info http: m a="x=\"\" y" b=é"#)
    }

    @Test func theTimeIsRightOnEitherSideOfASecondAndAcrossYears() {
        let cases: [(Int64, String)] = [
            (1_764_775_799_999, "2025-12-03T15:29:59.999Z"), (1_764_775_800_000, "2025-12-03T15:30:00.000Z"),
            (1_764_775_800_001, "2025-12-03T15:30:00.001Z"), (1_764_775_799_999, "2025-12-03T15:29:59.999Z"),
            (1_798_761_599_999, "2026-12-31T23:59:59.999Z"), (1_798_761_600_000, "2027-01-01T00:00:00.000Z"),
            (951_782_400_050, "2000-02-29T00:00:00.050Z"), (0, "1970-01-01T00:00:00.000Z"),
        ]
        for (millis, expected) in cases {
            let record = LogRecord(date: Date(unixMilliseconds: millis), level: .info, label: "t", message: "m", metadata: [:])
            #expect(record.line(.text).hasPrefix(expected + " "), "\(millis)")
            #expect(record.line(.text).hasPrefix(ISO8601.format(record.date, fractional: true) + " "))
        }
    }

    @Test func loggerMetadataComesFirstAndARecordsOwnValueWins() {
        let logs = Capture()
        let logger = Logger(label: "worker", level: .info, handler: logs).with("queue", "mail").with("job", "7")
        logger.info("done", ["job": "8", "kind": "email.send"])
        logger.debug("not written", ["x": "y"])
        #expect(logs.records.map { $0.metadata.pairs.map { "\($0.key)=\($0.value)" } } == [["queue=mail", "job=8", "kind=email.send"]])
    }

    final class Capture: LogHandler, @unchecked Sendable {
        private let lock = NSLock()
        private var kept: [LogRecord] = []
        var records: [LogRecord] { lock.withLock { kept } }
        func write(_ record: LogRecord) { lock.withLock { kept.append(record) } }
    }
}
