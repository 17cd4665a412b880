import TestSupport
import Testing
import HTTPServer

@Suite struct LiveTimeoutTests {
    private var configuration: HTTPServerConfiguration {
        HTTPServerConfiguration(headReadTimeout: .milliseconds(200), bodyReadTimeout: .milliseconds(300),
                                idleTimeout: .milliseconds(300), writeTimeout: .milliseconds(300),
                                lingerTimeout: .milliseconds(300))
    }

    @Test func slowlorisHalfHeadGets408AndIsClosedAfterTheHeadTimeout() async throws {
        try await withServer(configuration) { port, _ in
            let client = try RawClient(port: port)
            let start = ContinuousClock.now
            try await client.send("GET / HTTP/1.1\r\nHost: a\r\nX-Half: ")
            let response = try await client.readResponse(timeout: .seconds(3))
            #expect(response.status == 408)
            #expect(response.reason == "Request Timeout")
            #expect(response.header("Connection") == "close")
            #expect(response.header("Content-Length") == "\(response.body.count)")
            #expect(try await client.waitForClose(timeout: .seconds(3)))
            let elapsed = start.duration(to: .now)
            #expect(elapsed >= .milliseconds(150))
            #expect(elapsed < .seconds(30)) // the head timeout, not the 60 s idle one (slack for a loaded machine)
        }
    }

    @Test func drippingBytesDoesNotKeepTheConnectionOpen() async throws {
        try await withServer(configuration) { port, _ in
            let client = try RawClient(port: port)
            var closed = false
            for byte in "GET / HTTP/1.1\r\nHost: a\r\nX-Drip: abcdefghijklmnopqrstuvwxyz".utf8 {
                do {
                    try await client.send([byte])
                } catch {
                    closed = true
                    break
                }
                if try await client.waitForClose(timeout: .milliseconds(40)) {
                    closed = true
                    break
                }
            }
            // Dripping every byte would take 67 × 40 ms; the server closes long before the end.
            #expect(closed)
        }
    }

    @Test func silentConnectionIsClosedWithoutAByteAfterTheHeadTimeout() async throws {
        try await withServer(configuration) { port, _ in
            let client = try RawClient(port: port)
            let received = try await client.readToEnd(timeout: .seconds(3))
            #expect(received.isEmpty)
        }
    }

    @Test func stalledBodyGets408AfterTheBodyTimeout() async throws {
        try await withServer(configuration) { port, _ in
            let client = try RawClient(port: port)
            let start = ContinuousClock.now
            try await client.send("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\nhalf")
            let response = try await client.readResponse(timeout: .seconds(3))
            #expect(response.status == 408)
            #expect(response.header("Connection") == "close")
            #expect(try await client.waitForClose(timeout: .seconds(3)))
            #expect(start.duration(to: .now) >= .milliseconds(250))
        }
    }

    @Test func stalledBodyAfter100ContinueGets408() async throws {
        try await withServer(configuration) { port, _ in
            let client = try RawClient(port: port)
            try await client.send("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\nExpect: 100-continue\r\n\r\n")
            #expect(try await client.readResponse().status == 100)
            try await client.send("half")
            #expect(try await client.readResponse(timeout: .seconds(3)).status == 408)
            #expect(try await client.waitForClose(timeout: .seconds(3)))
        }
    }

    @Test func partialSecondRequestOnAKeptAliveConnectionGets408() async throws {
        try await withServer(configuration) { port, _ in
            let client = try RawClient(port: port)
            try await client.send("GET /first HTTP/1.1\r\nHost: a\r\n\r\nGET /second HT")
            #expect(try await client.readResponse().status == 200)
            #expect(try await client.readResponse(timeout: .seconds(3)).status == 408)
            #expect(try await client.waitForClose(timeout: .seconds(3)))
        }
    }

    @Test func idleKeepAliveConnectionIsClosedWithoutAByteAfterTheIdleTimeout() async throws {
        try await withServer(configuration) { port, _ in
            let client = try RawClient(port: port)
            // Timed from before the request: the server cannot close before it has answered
            // and then waited the idle allowance, however late this task reads the answer.
            let start = ContinuousClock.now
            try await client.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n")
            #expect(try await client.readResponse().status == 200)
            let received = try await client.readToEnd(timeout: .seconds(3))
            #expect(received.isEmpty)
            #expect(start.duration(to: .now) >= .milliseconds(290))
        }
    }

    @Test func strayCRLFAfterABodyDoesNotEarnA408() async throws {
        try await withServer(configuration) { port, _ in
            let client = try RawClient(port: port)
            // RFC 9112 §2.2: some clients follow a body with CRLF; that starts no request.
            try await client.send("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\nok\r\n")
            #expect(try await client.readResponse().status == 200)
            let received = try await client.readToEnd(timeout: .seconds(3))
            #expect(received.isEmpty)
        }
    }

    @Test func slowHandlerIsNotCutOffByReadTimeouts() async throws {
        let handler: HTTPHandler = { _ in
            try? await Task.sleep(for: .milliseconds(600))
            return HTTPResponse(text: "late")
        }
        try await withServer(configuration, handler: handler) { port, _ in
            let client = try RawClient(port: port)
            try await client.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n")
            #expect(try await client.readResponse().text == "late")
        }
    }

    @Test func peerThatStopsReadingIsClosedAfterTheWriteTimeout() async throws {
        let size = 48 << 20
        let body = [UInt8](repeating: 1, count: size)
        let handler: HTTPHandler = { _ in HTTPResponse(body: body) }
        try await withServer(configuration, handler: handler) { port, _ in
            let client = try RawClient(port: port)
            try await client.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n")
            // Read nothing for well over the write timeout, then drain what is left.
            try await Task.sleep(for: .milliseconds(1200))
            let received = try await client.readToEnd(timeout: .seconds(10))
            #expect(received.count < size)
        }
    }
}
