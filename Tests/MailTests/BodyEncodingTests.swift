import Foundation
import TestSupport
import Mail
import Testing

/// Quoted-printable text parts and base64 attachments: line lengths and exact round trips.
@Suite(.serialized) struct BodyEncodingTests {
    /// The body lines of the part whose headers contain `marker`.
    static func bodyLines(_ text: String, after marker: String) -> [String] {
        let start = text.range(of: marker)!.upperBound
        let bodyStart = text.range(of: "\r\n\r\n", range: start..<text.endIndex)!.upperBound
        return Array(text[bodyStart...].components(separatedBy: "\r\n").prefix { !$0.hasPrefix("--=_bp_") })
    }

    @Test func quotedPrintableLinesAndRoundTrip() async throws {
        let text = [
            String(repeating: "Zoë ", count: 60),
            String(repeating: "x", count: 200),
            String(repeating: "€", count: 40),
            ".a line starting with a dot",
            "From the start of a line",
            "trailing space ",
            "trailing tab\t",
            "equals = sign and =3D lookalike",
            String(repeating: "=", count: 30),
            "",
            "Windows\r\nline\rends",
        ].joined(separator: "\n")
        let message = MailMessage(from: .init("a@demo.example"), to: [.init("b@example.com")], subject: "QP", text: text,
                                  html: "<p>" + String(repeating: "Grüße ", count: 50) + "</p>")
        let rendered = try message.render()
        checkWireForm(rendered.bytes)
        let wire = String(decoding: rendered.bytes, as: UTF8.self)
        for marker in ["text/plain", "text/html"] {
            let lines = Self.bodyLines(wire, after: marker)
            #expect(lines.count > 10)
            for line in lines {
                #expect(line.utf8.count <= 76, "QP line of \(line.utf8.count): \(line)")
                #expect(!line.hasSuffix(" ") && !line.hasSuffix("\t"), "unencoded trailing whitespace: \(line)")
                #expect(!line.hasPrefix(".") && !line.hasPrefix("From "), "line start left unprotected: \(line)")
            }
        }
        let parsed = try await ParsedMail.parse(rendered.bytes)
        #expect(parsed.defects == [])
        let expected = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        #expect(parsed.parts.first?.text == expected + "\n" || parsed.parts.first?.text == expected)
        #expect(parsed.parts.last?.text?.hasPrefix("<p>Grüße Grüße") == true)
    }

    @Test(arguments: [0, 1, 2, 3, 56, 57, 58, 1000, 43_210])
    func base64LinesAndBytes(count: Int) async throws {
        let data = sampleBytes(count, seed: UInt64(count) + 7)
        let message = MailMessage(from: .init("a@demo.example"), to: [.init("b@example.com")], subject: "B64", text: "see attachment",
                                  attachments: [MailAttachment(filename: "blob.bin", contentType: "application/octet-stream", data: data)])
        let rendered = try message.render()
        checkWireForm(rendered.bytes)
        let lines = Self.bodyLines(String(decoding: rendered.bytes, as: UTF8.self), after: "application/octet-stream")
            .filter { !$0.isEmpty }
        for line in lines.dropLast() { #expect(line.count == 76) }
        #expect((lines.last?.count ?? 0) <= 76)
        #expect(Data(base64Encoded: lines.joined()) == Data(data))
        let parsed = try await ParsedMail.parse(rendered.bytes)
        #expect(parsed.defects == [])
        let part = try #require(parsed.parts.last)
        #expect(part.size == count)
        #expect(part.sha256 == (try await pythonSHA256(data)))
    }
}
