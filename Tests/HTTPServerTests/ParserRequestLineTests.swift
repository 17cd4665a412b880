import Testing
@testable import HTTPServer

@Suite struct ParserRequestLineTests {
    @Test func parsesOriginFormWithQuery() throws {
        let requests = try parseAll(requestText("GET /a/b%2Fc?x=1&y=two+words&z=%C3%A9 HTTP/1.1"))
        #expect(requests.count == 1)
        let request = try #require(requests.first)
        #expect(request.method == .get)
        #expect(request.path == "/a/b%2Fc")
        #expect(request.query == "x=1&y=two+words&z=%C3%A9")
        #expect(request.target == "/a/b%2Fc?x=1&y=two+words&z=%C3%A9")
        #expect(request.queryItems == [HTTPQueryItem(name: "x", value: "1"),
                                       HTTPQueryItem(name: "y", value: "two words"),
                                       HTTPQueryItem(name: "z", value: "é")])
        #expect(request.version == .http1_1)
        #expect(request.keepAlive)
        #expect(request.body.isEmpty)
    }

    @Test(arguments: HTTPMethod.allCases)
    func recognisesEverySupportedMethod(method: HTTPMethod) throws {
        let request = try #require(try parseAll(requestText("\(method.rawValue) / HTTP/1.1")).first)
        #expect(request.method == method)
    }

    @Test(arguments: ["TRACE", "CONNECT", "PROPFIND", "get", "Post"])
    func refusesOtherMethodsWith501(method: String) {
        let error = parseError(requestText("\(method) / HTTP/1.1"))
        #expect(error == .unsupportedMethod)
        #expect(error?.status == 501)
    }

    static let malformedLines = [
        "GE(T / HTTP/1.1", "GET  / HTTP/1.1", "GET /", "GET", " GET / HTTP/1.1", "GET / HTTP/1.1 extra",
    ]

    @Test(arguments: malformedLines)
    func refusesMalformedRequestLines(line: String) {
        let error = parseError(requestText(line))
        #expect(error?.status == 400, "\(line)")
    }

    @Test func refusesTrailingSpaceAsMalformedVersion() {
        #expect(parseError(requestText("GET / HTTP/1.1 ")) == .malformedVersion)
    }

    @Test(arguments: ["HTTP/2.0", "HTTP/0.9", "HTTP/3.0"])
    func refusesOtherMajorVersionsWith505(version: String) {
        let error = parseError("GET / \(version)\r\n\r\n")
        #expect(error == .unsupportedVersion)
        #expect(error?.status == 505)
    }

    @Test(arguments: ["http/1.1", "HTTP/1.10", "HTTP/1", "HTTPS/1.1", "HTTP/1.x", "HTTP/11"])
    func refusesMalformedVersionsWith400(version: String) {
        #expect(parseError("GET / \(version)\r\nHost: a\r\n\r\n") == .malformedVersion)
    }

    @Test func readsHTTP1_0WithoutKeepAlive() throws {
        let request = try #require(try parseAll("GET / HTTP/1.0\r\n\r\n").first)
        #expect(request.version == .http1_0)
        #expect(!request.keepAlive)
    }

    @Test func readsHigherMinorVersionAsHTTP1_1() throws {
        // RFC 9110 §6.2: process as the highest minor version implemented.
        let request = try #require(try parseAll(requestText("GET / HTTP/1.2")).first)
        #expect(request.version == HTTPVersion(major: 1, minor: 2))
        #expect(request.keepAlive)
    }

    @Test func acceptsAbsoluteForm() throws {
        let requests = try parseAll(requestText("GET http://example.com:8080/p/q?a=1 HTTP/1.1")
            + requestText("GET HTTPS://example.com HTTP/1.1"))
        #expect(requests.map(\.path) == ["/p/q", "/"])
        #expect(requests.map(\.query) == ["a=1", nil])
    }

    @Test func acceptsAsteriskOnlyForOptions() throws {
        #expect(try parseAll(requestText("OPTIONS * HTTP/1.1")).first?.path == "*")
        #expect(parseError(requestText("GET * HTTP/1.1")) == .invalidRequestTarget)
    }

    @Test(arguments: ["a/b", "/a#frag", "example.com:80", "ftp://x/", "http:///path"])
    func refusesInvalidTargets(target: String) {
        #expect(parseError(requestText("GET \(target) HTTP/1.1")) == .invalidRequestTarget)
    }

    @Test func refusesNonASCIIAndControlBytesInTarget() {
        let latin = Array("GET /caf".utf8) + [0xE9] + Array(" HTTP/1.1\r\nHost: a\r\n\r\n".utf8)
        #expect(parseError(latin) == .invalidRequestTarget)
        let control = Array("GET /a".utf8) + [0x01] + Array(" HTTP/1.1\r\nHost: a\r\n\r\n".utf8)
        #expect(parseError(control) == .invalidRequestTarget)
    }

    @Test func ignoresEmptyLinesBeforeRequestLine() throws {
        #expect(try parseAll("\r\n\r\n" + requestText()).count == 1)
    }

    @Test func requestLineExactlyAtLimitIsAccepted() throws {
        let limits = HTTPParserLimits(maxRequestLineBytes: 64)
        let prefix = "GET /"
        let suffix = " HTTP/1.1"
        let line = prefix + String(repeating: "a", count: 64 - prefix.count - suffix.count) + suffix
        #expect(line.utf8.count == 64)
        #expect(try parseAll(requestText(line), limits: limits).count == 1)
    }

    @Test func requestLineOneOverLimitIs414() {
        let limits = HTTPParserLimits(maxRequestLineBytes: 64)
        let line = "GET /" + String(repeating: "a", count: 65 - 14) + " HTTP/1.1"
        #expect(line.utf8.count == 65)
        let error = parseError(requestText(line), limits: limits)
        #expect(error == .requestLineTooLong)
        #expect(error?.status == 414)
    }

    @Test func defaultRequestLineLimitIs8KiB() throws {
        let filler = { (count: Int) in String(repeating: "a", count: count) }
        let fits = "GET /" + filler(8192 - 14) + " HTTP/1.1"
        #expect(try parseAll(requestText(fits)).count == 1)
        #expect(parseError(requestText("GET /" + filler(8193 - 14) + " HTTP/1.1")) == .requestLineTooLong)
    }

    @Test func longLineFailsBeforeItsEndArrives() {
        // No CRLF at all: the parser must refuse rather than buffer without bound.
        var parser = HTTPRequestParser(limits: HTTPParserLimits(maxRequestLineBytes: 32))
        parser.append(Array(repeating: UInt8(ascii: "a"), count: 32))
        #expect(throws: Never.self) { _ = try parser.next() }
        parser.append([UInt8(ascii: "a")])
        #expect(throws: HTTPParserError.requestLineTooLong) { _ = try parser.next() }
    }

    @Test func endlessEmptyLinesAreBounded() {
        let limits = HTTPParserLimits(maxRequestLineBytes: 32)
        #expect(parseError(String(repeating: "\r\n", count: 17), limits: limits) == .requestLineTooLong)
    }

    @Test func refusesBareCRAndBareLFInRequestLine() {
        #expect(parseError("GET /\ra HTTP/1.1\r\nHost: a\r\n\r\n") == .bareCarriageReturn)
        #expect(parseError("GET / HTTP/1.1\nHost: a\r\n\r\n") == .bareLineFeed)
    }

    @Test func decodesQueryItems() {
        let items = HTTPSyntax.parseQuery("a=1&&b&c=&d=%zz&e=%41%2B+&=x&f=1=2")
        #expect(items == [
            HTTPQueryItem(name: "a", value: "1"), HTTPQueryItem(name: "b", value: ""),
            HTTPQueryItem(name: "c", value: ""), HTTPQueryItem(name: "d", value: "%zz"),
            HTTPQueryItem(name: "e", value: "A+ "), HTTPQueryItem(name: "", value: "x"),
            HTTPQueryItem(name: "f", value: "1=2"),
        ])
    }
}
