@testable import API
import Foundation
import Testing

@Suite struct JSONWriterTests {
    @Test func escapesWhatJSONAndHTMLNeedAndParsesBack() throws {
        var writer = JSONWriter()
        let tricky = "Zoë \"Q\" <b>&\\ \n\t\u{01} 💶"
        writer.string("name", tricky)
        writer.integer("amount", -42)
        let bytes = writer.finish()
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(!text.contains("<") && !text.contains(">") && !text.contains("&"))
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
        #expect(parsed["name"] as? String == tricky)
        #expect(parsed["amount"] as? Int == -42)
    }
}
