import BillportCore
import Foundation
import Testing
@testable import HTTPServer

@Suite struct ParserHeaderTests {
    @Test func looksUpNamesCaseInsensitivelyAndKeepsDuplicatesInOrder() throws {
        let request = try #require(try parseAll(requestText(fields: [
            "X-Tag: one", "x-tag:two", "X-TAG:   three  ", "Accept:\t*/*\t",
        ])).first)
        #expect(request.headers["x-tag"] == "one")
        #expect(request.headers.values(for: "X-Tag") == ["one", "two", "three"])
        #expect(request.headers["ACCEPT"] == "*/*")
        #expect(request.headers.count == 5)
        #expect(request.headers.fields.map(\.name) == ["Host", "X-Tag", "x-tag", "X-TAG", "Accept"])
    }

    @Test func keepsEmptyValues() throws {
        let request = try #require(try parseAll(requestText(fields: ["X-Empty:", "X-Blank:   "])).first)
        #expect(request.headers["X-Empty"] == "")
        #expect(request.headers["X-Blank"] == "")
    }

    @Test(arguments: ["X-Name : v", "X-Name\t: v"])
    func refusesWhitespaceBeforeColon(field: String) {
        let error = parseError(requestText(fields: [field]))
        #expect(error == .whitespaceBeforeColon)
        #expect(error?.status == 400)
    }

    @Test func refusesObsoleteLineFolding() {
        #expect(parseError(requestText(fields: ["X-A: one", " folded"])) == .obsoleteLineFolding)
        #expect(parseError(requestText(fields: ["X-A: one", "\tfolded"])) == .obsoleteLineFolding)
        // Whitespace between the request-line and the first field (RFC 9112 §2.2).
        #expect(parseError("GET / HTTP/1.1\r\n Host: a\r\n\r\n") == .obsoleteLineFolding)
    }

    @Test(arguments: ["NoColon", ": value", "Bad Name: v", "Bad(Name): v", "Ünicode: v"])
    func refusesMalformedFieldLines(field: String) {
        #expect(parseError(requestText(fields: [field])) == .malformedHeader)
    }

    @Test(arguments: [UInt8(0x00), 0x01, 0x1F, 0x7F])
    func refusesControlBytesInValues(byte: UInt8) {
        let bytes = Array("GET / HTTP/1.1\r\nHost: a\r\nX: a".utf8) + [byte] + Array("b\r\n\r\n".utf8)
        #expect(parseError(bytes) == .malformedHeader)
    }

    @Test func refusesBareCRInAValue() {
        #expect(parseError(requestText(fields: ["X: a\rb"])) == .bareCarriageReturn)
    }

    @Test func refusesBareLFEndingTheHeaderSection() {
        #expect(parseError("GET / HTTP/1.1\r\nHost: a\r\n\n") == .bareLineFeed)
        #expect(parseError("GET / HTTP/1.1\r\nHost: a\nX: b\r\n\r\n") == .bareLineFeed)
    }

    @Test func keepsUTF8AndObsTextValuesLosslessly() throws {
        let utf8 = try #require(try parseAll(requestText(fields: ["X-Name: Jörg"])).first)
        #expect(utf8.headers["X-Name"] == "Jörg")
        let latin1 = Array("GET / HTTP/1.1\r\nHost: a\r\nX-Name: J".utf8) + [0xF6] + Array("rg\r\n\r\n".utf8)
        var parser = HTTPRequestParser()
        let request = try #require(try parser.feed(latin1).first)
        #expect(request.headers["X-Name"] == "J\u{F6}rg")
    }

    /// `Host: a\r\n` is 9 bytes, so `X: ` plus n filler bytes and CRLF fills the rest.
    private func section(totalBytes: Int) -> String {
        requestText(fields: ["X: " + String(repeating: "v", count: totalBytes - 9 - 5)])
            .replacingOccurrences(of: "Host: example.com", with: "Host: a")
    }

    @Test func headerSectionExactlyAtLimitIsAccepted() throws {
        let limits = HTTPParserLimits(maxHeaderBytes: 100)
        #expect(try parseAll(section(totalBytes: 100), limits: limits).count == 1)
        #expect(try parseByteByByte(Array(section(totalBytes: 100).utf8), limits: limits).count == 1)
    }

    @Test func headerSectionOneOverLimitIs431() {
        let limits = HTTPParserLimits(maxHeaderBytes: 100)
        let error = parseError(section(totalBytes: 101), limits: limits)
        #expect(error == .headersTooLarge)
        #expect(error?.status == 431)
        #expect((try? parseByteByByte(Array(section(totalBytes: 101).utf8), limits: limits)) == nil)
    }

    @Test func oversizedHeaderFailsBeforeItsEndArrives() {
        var parser = HTTPRequestParser(limits: HTTPParserLimits(maxHeaderBytes: 100))
        parser.append(Array("GET / HTTP/1.1\r\nX: ".utf8) + Array(repeating: UInt8(ascii: "v"), count: 200))
        #expect(throws: HTTPParserError.headersTooLarge) { _ = try parser.next() }
    }

    @Test func headerCountExactlyAtLimitIsAccepted() throws {
        let limits = HTTPParserLimits(maxHeaderCount: 5)
        let fields = (1...4).map { "X-\($0): v" }
        #expect(try parseAll(requestText(fields: fields), limits: limits).first?.headers.count == 5)
    }

    @Test func headerCountOneOverLimitIs431() {
        let limits = HTTPParserLimits(maxHeaderCount: 5)
        let fields = (1...5).map { "X-\($0): v" }
        let error = parseError(requestText(fields: fields), limits: limits)
        #expect(error == .tooManyHeaders)
        #expect(error?.status == 431)
    }

    @Test func defaultLimitsAllow100HeadersButNot101() throws {
        let fields = { (count: Int) in (1..<count).map { "X-\($0): v" } }
        #expect(try parseAll(requestText(fields: fields(100))).count == 1)
        #expect(parseError(requestText(fields: fields(101))) == .tooManyHeaders)
    }

    @Test func requiresExactlyOneValidHostOnHTTP1_1() throws {
        #expect(parseError("GET / HTTP/1.1\r\n\r\n") == .missingHost)
        #expect(parseError(requestText(fields: ["Host: other"])) == .invalidHost)
        #expect(parseError("GET / HTTP/1.1\r\nHost: a b\r\n\r\n") == .invalidHost)
        #expect(parseError("GET / HTTP/1.1\r\nHost: a/b\r\n\r\n") == .invalidHost)
        #expect(try parseAll("GET / HTTP/1.1\r\nHost: [::1]:8080\r\n\r\n").count == 1)
        #expect(try parseAll("GET / HTTP/1.1\r\nHost:\r\n\r\n").count == 1)
        #expect(try parseAll("GET / HTTP/1.0\r\n\r\n").count == 1)
    }

    @Test func connectionFieldDecidesPersistence() throws {
        let close = try parseAll(requestText(fields: ["Connection: Close"]))
        #expect(close.first?.keepAlive == false)
        let listed = try parseAll(requestText(fields: ["Connection: upgrade, close"]))
        #expect(listed.first?.keepAlive == false)
        let oldKeep = try parseAll("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n")
        #expect(oldKeep.first?.keepAlive == true)
        let oldBoth = try parseAll("GET / HTTP/1.0\r\nConnection: keep-alive, close\r\n\r\n")
        #expect(oldBoth.first?.keepAlive == false)
    }

    @Test func listFieldsSplitOnTheCommaByteEvenBeforeACombiningMark() throws {
        // Fuzz regression: a combining mark after a comma merged with it into one Character,
        // so `close,\u{301}` was one list element and the connection was kept alive.
        let bytes = Array("GET / HTTP/1.1\r\nHost: a\r\nConnection: close,".utf8) + [0xCC, 0x81]
            + Array("\r\n\r\n".utf8)
        var parser = HTTPRequestParser()
        let request = try #require(try parser.feed(bytes).first)
        #expect(request.keepAlive == false)
        #expect(request.headers.listTokens(for: "Connection") == ["close", "\u{301}"])
        let expect = Array(requestText("POST / HTTP/1.1", fields: ["Content-Length: 1"]).utf8.dropLast(2))
            + Array("Expect: 100-continue,\u{301}\r\n\r\nx".utf8)
        #expect(parseError(expect) == .expectationFailed)
    }

    @Test func expectContinueIsReportedWithTheHead() throws {
        var parser = HTTPRequestParser()
        parser.append(Array(requestText("POST / HTTP/1.1", fields: ["Content-Length: 2", "Expect: 100-Continue"]).utf8))
        guard case .headComplete(let expectsContinue)? = try parser.next() else {
            Issue.record("expected a head event")
            return
        }
        #expect(expectsContinue)
        #expect(try parser.next() == nil)
        parser.append(Array("ok".utf8))
        guard case .request(let request)? = try parser.next() else {
            Issue.record("expected a request")
            return
        }
        #expect(request.body == Array("ok".utf8))
    }

    @Test func otherExpectationsAre417() {
        let error = parseError(requestText("POST / HTTP/1.1", fields: ["Content-Length: 2", "Expect: something"]))
        #expect(error == .expectationFailed)
        #expect(error?.status == 417)
    }

    @Test func expectationsAreIgnoredOnHTTP1_0() throws {
        #expect(try parseAll("POST / HTTP/1.0\r\nExpect: something\r\nContent-Length: 0\r\n\r\n").count == 1)
    }

    @Test func headersTypeSupportsEditing() {
        var headers: HTTPHeaders = ["A": "1", "b": "2"]
        headers.add("a", "3")
        #expect(headers.values(for: "A") == ["1", "3"])
        headers.set("A", "4")
        #expect(headers.values(for: "a") == ["4"])
        #expect(headers.fields.map(\.name) == ["b", "A"])
        headers.remove("B")
        #expect(!headers.contains("b"))
        #expect(headers.count == 1)
    }
}
