import Dispatch
import Foundation
import Mail
import TestSupport
import Testing

/// Sends `message` off the pool and times the send alone (not the wait for a dispatch thread,
/// which a loaded test run can stretch).
func timedSend(_ transport: any MailTransport, _ message: MailMessage) async throws -> (MailError?, Duration) {
    let rendered = try message.render()
    return try await offPool {
        let start = ContinuousClock.now
        do throws(MailError) {
            _ = try transport.send(rendered, envelope: MailEnvelope(for: rendered))
            return (nil, ContinuousClock.now - start)
        } catch {
            return (error, ContinuousClock.now - start)
        }
    }
}

/// Checks the wire rules every rendered message must keep: CRLF only, lines under 998
/// octets, header lines at most 78 (folded), and returns the header block's lines.
@discardableResult
func checkWireForm(_ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) -> [String] {
    let text = String(decoding: bytes, as: UTF8.self)
    #expect(bytes.allSatisfy { $0 < 0x80 }, "a rendered message is 7-bit ASCII", sourceLocation: sourceLocation)
    let lines = text.components(separatedBy: "\r\n")
    #expect(!lines.contains { $0.contains("\r") || $0.contains("\n") }, "bare CR or LF", sourceLocation: sourceLocation)
    #expect(text.hasSuffix("\r\n"), sourceLocation: sourceLocation)
    for line in lines { #expect(line.utf8.count < 998, "line of \(line.utf8.count) octets", sourceLocation: sourceLocation) }
    let headerLines = Array(lines.prefix { !$0.isEmpty })
    for line in headerLines {
        #expect(line.utf8.count <= 78, "header line longer than 78: \(line)", sourceLocation: sourceLocation)
    }
    return headerLines
}

/// The top-level header block unfolded: `[(name, raw value)]`.
func unfoldedHeaders(_ bytes: [UInt8]) -> [(name: String, value: String)] {
    let text = String(decoding: bytes, as: UTF8.self)
    let block = text.components(separatedBy: "\r\n\r\n")[0].replacingOccurrences(of: "\r\n ", with: " ")
    return block.components(separatedBy: "\r\n").compactMap { line in
        guard let colon = line.firstIndex(of: ":") else { return nil }
        return (String(line[..<colon]), String(line[line.index(after: colon)...].dropFirst()))
    }
}

/// Every `=?charset?X?text?=` word in `text`.
func encodedWords(in text: String) -> [String] {
    let pattern = try! NSRegularExpression(pattern: #"=\?[^?\s]+\?[BbQq]\?[^?\s]*\?="#)
    let range = NSRange(text.startIndex..., in: text)
    return pattern.matches(in: text, range: range).map { String(text[Range($0.range, in: text)!]) }
}

/// The bytes one encoded word stands for (B or Q).
func decodeEncodedWord(_ word: String) -> [UInt8]? {
    let fields = word.dropFirst(2).dropLast(2).split(separator: "?", omittingEmptySubsequences: false)
    guard fields.count == 3 else { return nil }
    if fields[1].uppercased() == "B" {
        return Data(base64Encoded: String(fields[2])).map { [UInt8]($0) }
    }
    var bytes: [UInt8] = []
    var index = fields[2].startIndex
    let text = fields[2]
    while index < text.endIndex {
        let character = text[index]
        if character == "_" {
            bytes.append(0x20)
        } else if character == "=" {
            let hex = text[text.index(after: index)...].prefix(2)
            guard let value = UInt8(hex, radix: 16) else { return nil }
            bytes.append(value)
            index = text.index(index, offsetBy: 2)
        } else {
            bytes += Array(String(character).utf8)
        }
        index = text.index(after: index)
    }
    return bytes
}

/// Deterministic pseudo-random bytes (every byte value occurs), for attachments.
func sampleBytes(_ count: Int, seed: UInt64 = 42) -> [UInt8] {
    var state = seed
    return (0..<count).map { _ in
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return UInt8(truncatingIfNeeded: state >> 33)
    }
}

/// SHA-256 hex of `bytes`, computed by Python's hashlib for independence from our code.
func pythonSHA256(_ bytes: [UInt8]) async throws -> String {
    let directory = TemporaryDirectory()
    defer { withExtendedLifetime(directory) {} }
    let file = directory.file("blob")
    try Data(bytes).write(to: URL(fileURLWithPath: file))
    return try await offPool {
        try Spawn.run(Scripts.python, ["-c", "import hashlib,sys; print(hashlib.sha256(open(sys.argv[1],'rb').read()).hexdigest())", file])
            .text.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
