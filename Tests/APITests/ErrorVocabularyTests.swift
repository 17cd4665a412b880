import Foundation
import Testing

/// The API's error codes are one vocabulary: each code the sources answer with is listed in
/// docs/ERRORS.md with the one status it always has, and the table lists nothing unused. A new
/// code (or a code used with a second status) fails here until the table says what it means.
@Suite struct ErrorVocabularyTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let modules = ["Sources/API", "Sources/Billing", "Sources/BillingStore"]

    /// Every (code, status) the sources use, with where: `APIError(status: N, code: "…")`, and
    /// `BillingError.conflict` (409) and `.unprocessable` (422), which the API answers with those statuses.
    static func codesInSources() throws -> [(code: String, status: Int, place: String)] {
        let explicit = try NSRegularExpression(pattern: #"status: (\d{3}), code: "([a-z_]+)""#)
        let domain = try NSRegularExpression(pattern: #"\.(conflict|unprocessable)\(code: "([a-z_]+)""#)
        let anyCode = try NSRegularExpression(pattern: #"\bcode: "([a-z_]+)""#)
        var found: [(String, Int, String)] = []
        for module in modules {
            let directory = root.appendingPathComponent(module)
            for name in try FileManager.default.contentsOfDirectory(atPath: directory.path) where name.hasSuffix(".swift") {
                let text = try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
                for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                    let line = String(line)
                    let range = NSRange(line.startIndex..., in: line)
                    let place = "\(module)/\(name):\(number + 1)"
                    let string = { (match: NSTextCheckingResult, group: Int) in String(line[Range(match.range(at: group), in: line)!]) }
                    var statuses: [(String, Int)] = explicit.matches(in: line, range: range).map { (string($0, 2), Int(string($0, 1))!) }
                    statuses += domain.matches(in: line, range: range).map { (string($0, 2), string($0, 1) == "conflict" ? 409 : 422) }
                    for match in anyCode.matches(in: line, range: range) where !statuses.contains(where: { $0.0 == string(match, 1) }) {
                        found.append((string(match, 1), 0, place)) // a code whose status this test cannot tell
                    }
                    found += statuses.map { ($0.0, $0.1, place) }
                }
            }
        }
        return found
    }

    /// The table of docs/ERRORS.md: code → status.
    static func documentedCodes() throws -> [String: Int] {
        let text = try String(contentsOf: root.appendingPathComponent("docs/ERRORS.md"), encoding: .utf8)
        var table: [String: Int] = [:]
        for line in text.split(separator: "\n") where line.hasPrefix("| `") {
            let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count >= 3, let status = Int(cells[1]) else { continue }
            table[cells[0].trimmingCharacters(in: CharacterSet(charactersIn: "`"))] = status
        }
        return table
    }

    @Test func everyCodeInUseIsDocumentedWithTheOneStatusItAlwaysHas() throws {
        let used = try Self.codesInSources()
        let documented = try Self.documentedCodes()
        #expect(used.count > 40 && documented.count > 30)
        for (code, status, place) in used {
            #expect(status != 0, "\(place): the status of \(code) cannot be read; construct it as APIError(status:code:) or BillingError")
            #expect(documented[code] != nil, "\(place): \(code) is not in docs/ERRORS.md")
            if let listed = documented[code], status != 0 {
                #expect(listed == status, "\(place): \(code) is answered with \(status), docs/ERRORS.md says \(listed)")
            }
        }
        let unused = Set(documented.keys).subtracting(used.map(\.code))
        #expect(unused.isEmpty, "docs/ERRORS.md lists codes no source uses: \(unused.sorted())")
    }

    @Test func codesAreSnakeCaseWordsAndErrorsNameNoInternalStatusSyntax() throws {
        for (code, _, place) in try Self.codesInSources() {
            #expect(code.range(of: #"^[a-z]+(_[a-z]+)*$"#, options: .regularExpression) != nil, "\(place): \(code)")
        }
        // Plain English: "an issued invoice", never "status=issued".
        let pattern = try NSRegularExpression(pattern: #"message: "[^"]*\b[a-z]+=[a-z]+"#)
        for module in Self.modules {
            let directory = Self.root.appendingPathComponent(module)
            for name in try FileManager.default.contentsOfDirectory(atPath: directory.path) where name.hasSuffix(".swift") {
                let text = try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
                #expect(pattern.numberOfMatches(in: text, range: NSRange(text.startIndex..., in: text)) == 0, "\(module)/\(name)")
            }
        }
    }
}
