import Testing
@testable import HTTPServer

@Suite struct ParserIncrementalTests {
    /// A pipelined mix of every framing, used to compare one-piece and byte-wise parsing.
    private let pipeline = requestText("GET /one?a=1 HTTP/1.1")
        + requestText("POST /two HTTP/1.1", fields: ["Content-Length: 11"], body: "hello world")
        + requestText("PUT /three HTTP/1.1", fields: ["Transfer-Encoding: chunked"],
                      body: "3;x=y\r\nabc\r\n2\r\nde\r\n0\r\nT: v\r\n\r\n")
        + "\r\n" + requestText("DELETE /four HTTP/1.1", fields: ["Connection: close"])

    private func summary(_ requests: [HTTPRequest]) -> [String] {
        requests.map { "\($0.method.rawValue) \($0.path) \(String(decoding: $0.body, as: UTF8.self)) \($0.keepAlive)" }
    }

    @Test func pipelinedRequestsComeOutInOrder() throws {
        #expect(summary(try parseAll(pipeline)) == [
            "GET /one  true", "POST /two hello world true", "PUT /three abcde true", "DELETE /four  false",
        ])
    }

    @Test func byteByByteGivesTheSameRequests() throws {
        let whole = try parseAll(pipeline)
        let split = try parseByteByByte(Array(pipeline.utf8))
        #expect(summary(split) == summary(whole))
        #expect(split.map(\.headers) == whole.map(\.headers))
    }

    @Test func everySplitPointGivesTheSameRequests() throws {
        let bytes = Array(pipeline.utf8)
        let expected = summary(try parseAll(pipeline))
        for cut in 1..<bytes.count {
            var parser = HTTPRequestParser()
            let requests = try parser.feed(bytes[..<cut]) + parser.feed(bytes[cut...])
            #expect(summary(requests) == expected, "split at \(cut)")
        }
    }

    @Test func crlfSplitAcrossReadsIsNotABareCR() throws {
        var parser = HTTPRequestParser()
        #expect(try parser.feed(Array("GET / HTTP/1.1\r".utf8)).isEmpty)
        #expect(try parser.feed(Array("\nHost: a\r".utf8)).isEmpty)
        #expect(try parser.feed(Array("\n\r".utf8)).isEmpty)
        #expect(try parser.feed(Array("\n".utf8)).count == 1)
    }

    @Test func bareCRIsCaughtAsSoonAsTheNextByteArrives() throws {
        var parser = HTTPRequestParser()
        #expect(try parser.feed(Array("GET / HTTP/1.1\r".utf8)).isEmpty)
        #expect(throws: HTTPParserError.bareCarriageReturn) { _ = try parser.feed([UInt8(ascii: "X")]) }
    }

    @Test func phaseFollowsTheMessage() throws {
        var parser = HTTPRequestParser()
        #expect(parser.phase == .idle)
        parser.append(Array("POST / HTTP/1.1\r\nHost: a\r\n".utf8))
        #expect(try parser.next() == nil)
        #expect(parser.phase == .head)
        parser.append(Array("Content-Length: 3\r\n\r\nab".utf8))
        guard case .headComplete(false)? = try parser.next() else {
            Issue.record("expected head event")
            return
        }
        #expect(try parser.next() == nil)
        #expect(parser.phase == .body)
        parser.append([UInt8(ascii: "c")])
        guard case .request? = try parser.next() else {
            Issue.record("expected request")
            return
        }
        #expect(parser.phase == .idle)
        #expect(parser.bufferedByteCount == 0)
    }

    @Test func emptyLinesBeforeARequestLeaveThePhaseIdle() throws {
        // RFC 9112 §2.2: a CRLF some clients send after a body is no byte of a new request,
        // so a kept-alive connection that got one is idle (and times out without a 408).
        var parser = HTTPRequestParser()
        #expect(try parser.feed(Array("\r\n\r\n".utf8)).isEmpty)
        #expect(parser.phase == .idle)
        #expect(try parser.feed(Array("\r".utf8)).isEmpty)
        #expect(parser.phase == .head)
        #expect(try parser.feed(Array("\nG".utf8)).isEmpty)
        #expect(parser.phase == .head)
        #expect(try parser.feed(Array("ET / HTTP/1.1\r\nHost: a\r\n\r\n".utf8)).count == 1)
        #expect(parser.phase == .idle)
    }

    @Test func bodilessRequestsHaveNoHeadEvent() throws {
        var parser = HTTPRequestParser()
        parser.append(Array(requestText().utf8))
        guard case .request? = try parser.next() else {
            Issue.record("expected the request directly")
            return
        }
    }

    @Test func staysFailedAfterAnError() {
        var parser = HTTPRequestParser()
        parser.append(Array("GET / HTTP/9.9\r\n".utf8))
        #expect(throws: HTTPParserError.unsupportedVersion) { _ = try parser.next() }
        parser.append(Array(requestText().utf8))
        #expect(throws: HTTPParserError.unsupportedVersion) { _ = try parser.next() }
    }

    @Test func keepsUnparsedBytesBuffered() throws {
        var parser = HTTPRequestParser()
        parser.append(Array((requestText() + requestText()).utf8))
        guard case .request? = try parser.next() else {
            Issue.record("expected a request")
            return
        }
        #expect(parser.bufferedByteCount == requestText().utf8.count)
        #expect(parser.phase == .head)
    }

    @Test func compactsItsBufferOverManyRequests() throws {
        var parser = HTTPRequestParser()
        let one = Array(requestText().utf8)
        for _ in 0..<2000 {
            #expect(try parser.feed(one).count == 1)
        }
        #expect(parser.bufferedByteCount == 0)
    }
}

/// Test-only equality on events, comparing requests by their wire-visible parts.
extension HTTPRequestParser.Event: Equatable {
    public static func == (lhs: Self, rhs: Self) -> Bool {
        switch (lhs, rhs) {
        case let (.headComplete(a), .headComplete(b)): a == b
        case let (.request(a), .request(b)): a.method == b.method && a.target == b.target && a.body == b.body
        default: false
        }
    }
}
