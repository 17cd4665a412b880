import TestSupport
import Testing
import HTTPServer

/// One malformed input and the status it must be refused with.
struct MalformedCase: Sendable, CustomTestStringConvertible {
    var name: String
    var bytes: [UInt8]
    var status: Int
    var testDescription: String { name }

    init(_ name: String, _ text: String, _ status: Int) {
        self.init(name, Array(text.utf8), status)
    }

    init(_ name: String, _ bytes: [UInt8], _ status: Int) {
        self.name = name
        self.bytes = bytes
        self.status = status
    }
}

@Suite struct LiveMalformedTests {
    static let cases: [MalformedCase] = [
        MalformedCase("garbage request line", "GARBAGE\r\n\r\n", 400),
        MalformedCase("field without colon", "GET / HTTP/1.1\r\nHost: a\r\nBad Header\r\n\r\n", 400),
        MalformedCase("whitespace before colon", "GET / HTTP/1.1\r\nHost : a\r\n\r\n", 400),
        MalformedCase("obs-fold", "GET / HTTP/1.1\r\nHost: a\r\nX: 1\r\n  2\r\n\r\n", 400),
        MalformedCase("bare CR", "GET / HTTP/1.1\r\nHost: a\rX: 1\r\n\r\n", 400),
        MalformedCase("bare LF", "GET / HTTP/1.1\nHost: a\n\n", 400),
        MalformedCase("NUL in value", Array("GET / HTTP/1.1\r\nHost: a\r\nX: a".utf8) + [0] + Array("\r\n\r\n".utf8), 400),
        MalformedCase("missing Host", "GET / HTTP/1.1\r\n\r\n", 400),
        MalformedCase("two Content-Length", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab", 400),
        MalformedCase("Content-Length and Transfer-Encoding",
                      "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400),
        MalformedCase("invalid chunk", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nxyz\r\n", 400),
        MalformedCase("unsupported coding", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\n", 501),
        MalformedCase("unsupported method", "TRACE / HTTP/1.1\r\nHost: a\r\n\r\n", 501),
        MalformedCase("HTTP/2 preface", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", 505),
        MalformedCase("URI too long", "GET /" + String(repeating: "a", count: 9000) + " HTTP/1.1\r\nHost: a\r\n\r\n", 414),
        MalformedCase("too many headers", "GET / HTTP/1.1\r\nHost: a\r\n" + (0..<101).map { "X-\($0): v\r\n" }.joined() + "\r\n", 431),
        MalformedCase("headers too large", "GET / HTTP/1.1\r\nHost: a\r\nX: " + String(repeating: "v", count: 33 * 1024) + "\r\n\r\n", 431),
        MalformedCase("body too large", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 2000000\r\n\r\nabc", 413),
        MalformedCase("unknown expectation", "POST / HTTP/1.1\r\nHost: a\r\nExpect: teapot\r\nContent-Length: 1\r\n\r\nx", 417),
        MalformedCase("100-continue without a length", "POST / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\n\r\n", 411),
    ]

    @Test(arguments: cases)
    func malformedInputIsRefusedAndClosed(input: MalformedCase) async throws {
        try await withServer { port, _ in
            let client = try RawClient(port: port)
            try await client.send(input.bytes)
            let response = try await client.readResponse()
            #expect(response.status == input.status)
            #expect(response.header("Connection") == "close")
            #expect(response.header("Content-Length") == "\(response.body.count)")
            #expect(try await client.waitForClose(timeout: .seconds(3)))
        }
    }

    @Test func validRequestBeforeAMalformedOneIsStillAnswered() async throws {
        try await withServer { port, _ in
            let client = try RawClient(port: port)
            try await client.send("GET /ok HTTP/1.1\r\nHost: a\r\n\r\nBROKEN\r\n\r\n")
            let first = try await client.readResponse()
            #expect(first.status == 200)
            #expect(first.text == "GET /ok body=")
            let second = try await client.readResponse()
            #expect(second.status == 400)
            #expect(try await client.waitForClose(timeout: .seconds(3)))
        }
    }

    @Test func serverSurvivesRandomBytes() async throws {
        try await withServer { port, _ in
            var generator = SystemRandomNumberGenerator()
            for _ in 0..<20 {
                let client = try RawClient(port: port)
                let noise = (0..<Int.random(in: 1...2000, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
                try? await client.send(noise)
                client.shutdownWrite()
                _ = try await client.waitForClose(timeout: .seconds(3))
            }
            let healthy = try RawClient(port: port)
            try await healthy.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n")
            #expect(try await healthy.readResponse().status == 200)
        }
    }
}
