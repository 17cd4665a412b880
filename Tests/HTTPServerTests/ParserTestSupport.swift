import Testing
@testable import HTTPServer

/// Parses `text` in one piece and returns every complete request.
func parseAll(_ text: String, limits: HTTPParserLimits = HTTPParserLimits()) throws(HTTPParserError) -> [HTTPRequest] {
    var parser = HTTPRequestParser(limits: limits)
    return try parser.feed(Array(text.utf8))
}

/// Parses bytes one at a time, to prove no state depends on how reads are split.
func parseByteByByte(_ bytes: [UInt8], limits: HTTPParserLimits = HTTPParserLimits()) throws(HTTPParserError) -> [HTTPRequest] {
    var parser = HTTPRequestParser(limits: limits)
    var requests: [HTTPRequest] = []
    for byte in bytes {
        requests += try parser.feed([byte])
    }
    return requests
}

/// The error parsing `text` fails with, or nil if it parses.
func parseError(_ text: String, limits: HTTPParserLimits = HTTPParserLimits()) -> HTTPParserError? {
    parseError(Array(text.utf8), limits: limits)
}

/// The error parsing `bytes` fails with, or nil if it parses.
func parseError(_ bytes: [UInt8], limits: HTTPParserLimits = HTTPParserLimits()) -> HTTPParserError? {
    var parser = HTTPRequestParser(limits: limits)
    do {
        _ = try parser.feed(bytes)
        return nil
    } catch {
        return error
    }
}

/// A minimal valid head with extra field lines.
func requestText(_ line: String = "GET / HTTP/1.1", fields: [String] = [], body: String = "") -> String {
    var text = line + "\r\nHost: example.com\r\n"
    for field in fields { text += field + "\r\n" }
    return text + "\r\n" + body
}
