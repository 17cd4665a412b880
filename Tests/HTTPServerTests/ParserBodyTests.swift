import Testing
@testable import HTTPServer

@Suite struct ParserBodyTests {
    private func post(_ fields: [String], _ body: String = "") -> String {
        requestText("POST /upload HTTP/1.1", fields: fields, body: body)
    }

    @Test func readsAContentLengthBody() throws {
        let request = try #require(try parseAll(post(["Content-Length: 5"], "hello")).first)
        #expect(request.body == Array("hello".utf8))
        #expect(request.method == .post)
    }

    @Test func bodilessPostIsEmptyNot411() throws {
        // RFC 9112 §6.3 rule 6: no Content-Length and no Transfer-Encoding means length 0.
        let requests = try parseAll(post([]) + post(["Content-Length: 0"]))
        #expect(requests.count == 2)
        #expect(requests.allSatisfy { $0.body.isEmpty })
    }

    @Test func expectContinueWithoutAnyLengthIs411() {
        // RFC 9110 §10.1.1: 100-continue announces content; with neither framing field it
        // cannot be framed (RFC 9112 §6.3), so it is refused instead of read as empty.
        let error = parseError(post(["Expect: 100-continue"], "unframed"))
        #expect(error == .lengthRequired)
        #expect(error?.status == 411)
    }

    @Test func expectContinueWithAFramedBodyIsNot411() throws {
        #expect(try parseAll(post(["Expect: 100-continue", "Content-Length: 0"])).first?.body == [])
        #expect(try parseAll(post(["Expect: 100-continue", "Content-Length: 2"], "ok")).first?.body == Array("ok".utf8))
        let chunked = try parseAll(post(["Expect: 100-continue", "Transfer-Encoding: chunked"], "2\r\nok\r\n0\r\n\r\n"))
        #expect(chunked.first?.body == Array("ok".utf8))
        // Expect is ignored on HTTP/1.0, so there a bodiless POST stays an empty request.
        #expect(try parseAll("POST / HTTP/1.0\r\nExpect: 100-continue\r\n\r\n").first?.body == [])
    }

    @Test func bodyExactlyAtLimitIsAccepted() throws {
        let limits = HTTPParserLimits(maxBodyBytes: 10)
        let body = String(repeating: "b", count: 10)
        #expect(try parseAll(post(["Content-Length: 10"], body), limits: limits).first?.body.count == 10)
    }

    @Test func declaredBodyOneOverLimitIs413BeforeAnyBodyArrives() {
        let limits = HTTPParserLimits(maxBodyBytes: 10)
        let error = parseError(post(["Content-Length: 11"]), limits: limits)
        #expect(error == .bodyTooLarge)
        #expect(error?.status == 413)
    }

    @Test func defaultBodyLimitIs1MiB() throws {
        let body = String(repeating: "b", count: 1024 * 1024)
        #expect(try parseAll(post(["Content-Length: 1048576"], body)).first?.body.count == 1024 * 1024)
        #expect(parseError(post(["Content-Length: 1048577"])) == .bodyTooLarge)
    }

    @Test(arguments: ["abc", "-1", "+5", "5,5", "5 5", "0x5", "5.0", ""])
    func refusesInvalidContentLength(value: String) {
        #expect(parseError(post(["Content-Length: \(value)"], "hello")) == .invalidContentLength, "\(value)")
    }

    @Test func hugeContentLengthIs413() {
        #expect(parseError(post(["Content-Length: 99999999999999999999999999"])) == .bodyTooLarge)
    }

    @Test func refusesDuplicateContentLengthEvenWhenEqual() {
        #expect(parseError(post(["Content-Length: 5", "Content-Length: 5"], "hello")) == .duplicateContentLength)
        #expect(parseError(post(["Content-Length: 5", "content-length: 6"], "hello!")) == .duplicateContentLength)
    }

    @Test func refusesContentLengthWithTransferEncoding() {
        let error = parseError(post(["Content-Length: 5", "Transfer-Encoding: chunked"], "0\r\n\r\n"))
        #expect(error == .contentLengthWithTransferEncoding)
        #expect(error?.status == 400)
    }

    @Test func readsChunkedBodiesWithExtensionsAndTrailers() throws {
        let body = "5;name=value\r\nhello\r\n6 ; a ; b=\"q;\\\"x\"\r\n world\r\nA\r\n0123456789\r\n0;end\r\nX-Trailer: t\r\n\r\n"
        let request = try #require(try parseAll(post(["Transfer-Encoding: Chunked"], body)).first)
        #expect(request.body == Array("hello world0123456789".utf8))
        #expect(request.headers["X-Trailer"] == nil)
    }

    @Test func chunkedBodyExactlyAtLimitIsAcceptedAndOneOverIs413() throws {
        let limits = HTTPParserLimits(maxBodyBytes: 10)
        let fits = "5\r\n12345\r\n5\r\n67890\r\n0\r\n\r\n"
        #expect(try parseAll(post(["Transfer-Encoding: chunked"], fits), limits: limits).first?.body.count == 10)
        let over = "5\r\n12345\r\n6\r\n"
        #expect(parseError(post(["Transfer-Encoding: chunked"], over), limits: limits) == .bodyTooLarge)
        #expect(parseError(post(["Transfer-Encoding: chunked"], "fffffffffffffffffffffff\r\n")) == .bodyTooLarge)
    }

    static let invalidChunkBodies = [
        "zz\r\n", "\r\n", "5;\r\nhello\r\n0\r\n\r\n", "5;=x\r\nhello\r\n0\r\n\r\n", "5 x\r\nhello\r\n0\r\n\r\n",
        "5\r\nhelloXX0\r\n\r\n", "5\r\nhello\rX", "-5\r\n", "5;a=\"open\r\n",
    ]

    @Test(arguments: invalidChunkBodies)
    func refusesInvalidChunkSyntax(body: String) {
        let error = parseError(post(["Transfer-Encoding: chunked"], body))
        #expect(error?.status == 400, "\(body.debugDescription) gave \(String(describing: error))")
    }

    @Test func chunkLineLengthIsBounded() {
        let limits = HTTPParserLimits(maxChunkLineBytes: 16)
        #expect(parseError(post(["Transfer-Encoding: chunked"], "5;" + String(repeating: "a", count: 20)), limits: limits)
                == .invalidChunk)
    }

    @Test func trailersCountAgainstTheHeaderLimits() {
        let limits = HTTPParserLimits(maxHeaderBytes: 60, maxHeaderCount: 3)
        let tooMany = "0\r\nA: 1\r\nB: 2\r\n\r\n"
        #expect(parseError(post(["Transfer-Encoding: chunked"], tooMany), limits: limits) == .tooManyHeaders)
        let tooBig = "0\r\nA: " + String(repeating: "x", count: 40) + "\r\n\r\n"
        #expect(parseError(post(["Transfer-Encoding: chunked"], tooBig), limits: limits) == .headersTooLarge)
        #expect(parseError(post(["Transfer-Encoding: chunked"], "0\r\nBad Trailer: x\r\n\r\n")) == .malformedHeader)
    }

    @Test(arguments: ["gzip", "gzip, chunked", "identity", "chunked;q=1", "x-custom"])
    func unsupportedTransferCodingsAre501(coding: String) {
        let error = parseError(post(["Transfer-Encoding: \(coding)"], "0\r\n\r\n"))
        #expect(error == .unsupportedTransferCoding, "\(coding)")
        #expect(error?.status == 501)
    }

    @Test func chunkedTwiceOrOnHTTP1_0Is400() {
        #expect(parseError(post(["Transfer-Encoding: chunked, chunked"], "0\r\n\r\n")) == .invalidTransferEncoding)
        #expect(parseError(post(["Transfer-Encoding: chunked", "Transfer-Encoding: chunked"], "0\r\n\r\n"))
                == .invalidTransferEncoding)
        #expect(parseError("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n") == .invalidTransferEncoding)
        #expect(parseError(post(["Transfer-Encoding: ,"], "0\r\n\r\n")) == .invalidTransferEncoding)
    }

    @Test func everyErrorMapsToItsStatus() {
        let expected: [HTTPParserError: Int] = [
            .malformedRequestLine: 400, .invalidRequestTarget: 400, .malformedVersion: 400,
            .unsupportedVersion: 505, .unsupportedMethod: 501, .requestLineTooLong: 414,
            .malformedHeader: 400, .whitespaceBeforeColon: 400, .obsoleteLineFolding: 400,
            .bareCarriageReturn: 400, .bareLineFeed: 400, .headersTooLarge: 431, .tooManyHeaders: 431,
            .missingHost: 400, .invalidHost: 400, .invalidContentLength: 400, .duplicateContentLength: 400,
            .contentLengthWithTransferEncoding: 400, .invalidTransferEncoding: 400,
            .unsupportedTransferCoding: 501, .invalidChunk: 400, .bodyTooLarge: 413, .expectationFailed: 417,
            .lengthRequired: 411,
        ]
        #expect(expected.count == HTTPParserError.allCases.count)
        for error in HTTPParserError.allCases {
            #expect(error.status == expected[error], "\(error)")
        }
    }
}
