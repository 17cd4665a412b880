import BillportCore
import TestSupport
import Foundation
import Testing
import HTTPServer

@Suite struct LiveBasicsTests {
    @Test func answersASimpleGet() async throws {
        try await withServer { port, _ in
            let client = try RawClient(port: port)
            try await client.send("GET /hello?name=J%C3%B6rg&x=a+b HTTP/1.1\r\nHost: t\r\n\r\n")
            let response = try await client.readResponse()
            #expect(response.status == 200)
            #expect(response.reason == "OK")
            #expect(response.text == "GET /hello name=Jörg x=a b body=")
            #expect(response.header("Content-Length") == "\(response.body.count)")
            #expect(response.header("Connection") == nil)
            let date = try #require(response.header("Date"))
            #expect(date.range(of: #"^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$"#,
                               options: .regularExpression) != nil, "\(date)")
        }
    }

    @Test func keepAliveReusesOneConnection() async throws {
        try await withServer { port, _ in
            let client = try RawClient(port: port)
            for index in 0..<5 {
                try await client.send("POST /n\(index) HTTP/1.1\r\nHost: t\r\nContent-Length: 1\r\n\r\n\(index)")
                let response = try await client.readResponse()
                #expect(response.text == "POST /n\(index) body=\(index)")
                #expect(response.header("Connection") == nil)
            }
        }
    }

    @Test func pipelinedRequestsAreAnsweredInOrder() async throws {
        let handler: HTTPHandler = { request in
            if request.path.hasPrefix("/slow") { try? await Task.sleep(for: .milliseconds(100)) }
            return HTTPResponse(text: request.path)
        }
        try await withServer(handler: handler) { port, _ in
            let client = try RawClient(port: port)
            let paths = ["/slow1", "/fast1", "/slow2", "/fast2", "/fast3"]
            try await client.send(paths.map { "GET \($0) HTTP/1.1\r\nHost: t\r\n\r\n" }.joined())
            var answered: [String] = []
            for _ in paths { answered.append(try await client.readResponse().text) }
            #expect(answered == paths)
        }
    }

    @Test func floodOfPipelinedRequestsIsAnsweredInOrderUnderBackPressure() async throws {
        let handler: HTTPHandler = { request in HTTPResponse(text: request.query ?? "") }
        try await withServer(handler: handler) { port, _ in
            let client = try RawClient(port: port)
            // About 120 KB of requests: more than the server buffers before it stops reading.
            let count = 3000
            try await client.send((0..<count).map { "GET /p?\($0) HTTP/1.1\r\nHost: t\r\n\r\n" }.joined())
            for index in 0..<count {
                let response = try await client.readResponse()
                guard response.text == "\(index)" else {
                    Issue.record("response \(index) was \(response.text)")
                    return
                }
            }
        }
    }

    @Test func headGetsTheGetHeadersWithoutABody() async throws {
        let handler: HTTPHandler = { _ in HTTPResponse(headers: ["Content-Type": "text/plain"], text: "hello") }
        try await withServer(handler: handler) { port, _ in
            let client = try RawClient(port: port)
            try await client.send("HEAD / HTTP/1.1\r\nHost: t\r\n\r\nGET / HTTP/1.1\r\nHost: t\r\n\r\n")
            let head = try await client.readResponse(headRequest: true)
            #expect(head.status == 200)
            #expect(head.header("Content-Length") == "5")
            #expect(head.header("Content-Type") == "text/plain")
            // Had HEAD carried a body, this response would not parse.
            let get = try await client.readResponse()
            #expect(get.text == "hello")
        }
    }

    @Test func expectContinueGetsA100BeforeTheBody() async throws {
        try await withServer { port, _ in
            let client = try RawClient(port: port)
            try await client.send("POST /up HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n")
            let interim = try await client.readResponse()
            #expect(interim.status == 100)
            try await client.send("hello")
            let final = try await client.readResponse()
            #expect(final.status == 200)
            #expect(final.text == "POST /up body=hello")
        }
    }

    @Test func expectContinueWithATooLargeBodyGets413Instead() async throws {
        var configuration = HTTPServerConfiguration()
        configuration.limits.maxBodyBytes = 10
        try await withServer(configuration) { port, _ in
            let client = try RawClient(port: port)
            try await client.send("POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 11\r\nExpect: 100-continue\r\n\r\n")
            let response = try await client.readResponse()
            #expect(response.status == 413)
            #expect(response.header("Connection") == "close")
            #expect(try await client.waitForClose(timeout: .seconds(3)))
        }
    }

    @Test func expectContinueWithoutALengthGets411ButABodilessPostIsServed() async throws {
        try await withServer { port, _ in
            // What `curl -X POST` sends: no length at all, so an empty body (RFC 9112 §6.3).
            let curl = try RawClient(port: port)
            try await curl.send("POST /jobs HTTP/1.1\r\nHost: t\r\nUser-Agent: curl/8.5.0\r\nAccept: */*\r\n\r\n")
            let served = try await curl.readResponse()
            #expect(served.status == 200)
            #expect(served.text == "POST /jobs body=")

            let client = try RawClient(port: port)
            try await client.send("POST /jobs HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\n\r\n")
            let response = try await client.readResponse()
            #expect(response.status == 411)
            #expect(response.header("Connection") == "close")
            #expect(try await client.waitForClose(timeout: .seconds(3)))
        }
    }

    @Test func connectionCloseIsHonoured() async throws {
        try await withServer { port, _ in
            let client = try RawClient(port: port)
            // The second request must not be processed (RFC 9112 §9.6).
            try await client.send("GET /a HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\nGET /b HTTP/1.1\r\nHost: t\r\n\r\n")
            let response = try await client.readResponse()
            #expect(response.text == "GET /a body=")
            #expect(response.header("Connection") == "close")
            #expect(try await client.readToEnd().isEmpty)
        }
    }

    @Test func handlerConnectionCloseIsHonoured() async throws {
        let handler: HTTPHandler = { _ in HTTPResponse(headers: ["Connection": "close"], text: "bye") }
        try await withServer(handler: handler) { port, _ in
            let client = try RawClient(port: port)
            try await client.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n")
            let response = try await client.readResponse()
            #expect(response.headerValues("Connection") == ["close"])
            #expect(try await client.waitForClose(timeout: .seconds(3)))
        }
    }

    @Test func http1_0ClosesUnlessKeepAliveIsAsked() async throws {
        try await withServer { port, _ in
            let plain = try RawClient(port: port)
            try await plain.send("GET / HTTP/1.0\r\n\r\n")
            #expect(try await plain.readResponse().header("Connection") == "close")
            #expect(try await plain.waitForClose(timeout: .seconds(3)))

            let keep = try RawClient(port: port)
            for _ in 0..<2 {
                try await keep.send("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
                let response = try await keep.readResponse()
                #expect(response.status == 200)
                #expect(response.header("Connection") == "keep-alive")
            }
        }
    }

    @Test func slowHandlerDoesNotBlockOtherConnections() async throws {
        let gate = Gate()
        let handler: HTTPHandler = { request in
            if request.path == "/slow" { await gate.wait() }
            return HTTPResponse(text: request.path)
        }
        try await withServer(handler: handler) { port, _ in
            let slow = try RawClient(port: port)
            try await slow.send("GET /slow HTTP/1.1\r\nHost: t\r\n\r\n")
            for _ in 0..<3 {
                let fast = try RawClient(port: port)
                try await fast.send("GET /fast HTTP/1.1\r\nHost: t\r\n\r\n")
                #expect(try await fast.readResponse(timeout: .seconds(2)).text == "/fast")
            }
            await gate.open()
            #expect(try await slow.readResponse().text == "/slow")
        }
    }

    @Test func largeBodiesGoBothWays() async throws {
        let handler: HTTPHandler = { request in
            if request.path == "/download" { return HTTPResponse(body: [UInt8](repeating: 7, count: 8 << 20)) }
            return HTTPResponse(text: "received \(request.body.count) sum \(request.body.reduce(0) { $0 + Int($1) })")
        }
        try await withServer(handler: handler) { port, _ in
            let client = try RawClient(port: port)
            let upload = [UInt8](repeating: 1, count: 1 << 20)
            try await client.send(Array("POST /upload HTTP/1.1\r\nHost: t\r\nContent-Length: \(upload.count)\r\n\r\n".utf8) + upload)
            #expect(try await client.readResponse().text == "received 1048576 sum 1048576")
            try await client.send("GET /download HTTP/1.1\r\nHost: t\r\n\r\n")
            let download = try await client.readResponse(timeout: .seconds(10))
            #expect(download.body.count == 8 << 20)
            #expect(download.body.allSatisfy { $0 == 7 })
        }
    }

    @Test func chunkedUploadIsDecoded() async throws {
        try await withServer { port, _ in
            let client = try RawClient(port: port)
            try await client.send("PUT /c HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n4;x=1\r\nabcd\r\n")
            try await client.send("2\r\nef\r\n0\r\nTrailer: yes\r\n\r\n")
            #expect(try await client.readResponse().text == "PUT /c body=abcdef")
        }
    }

    @Test func serverOwnsFramingAndSanitisesHeaders() async throws {
        let handler: HTTPHandler = { request in
            switch request.path {
            case "/inject":
                return HTTPResponse(headers: [("X-Bad", "a\r\nInjected: yes"), ("Bad Name", "v"), ("X-Good", "ok"),
                                              ("Content-Length", "999"), ("Transfer-Encoding", "chunked")].reduce(into: HTTPHeaders()) { $0.add($1.0, $1.1) },
                                    text: "body")
            case "/nocontent":
                return HTTPResponse(status: 204, text: "ignored")
            case "/weird":
                return HTTPResponse(status: 42, text: "x")
            default:
                return HTTPResponse(text: request.remoteAddress)
            }
        }
        try await withServer(handler: handler) { port, _ in
            let client = try RawClient(port: port)
            try await client.send("GET /inject HTTP/1.1\r\nHost: t\r\n\r\n")
            let injected = try await client.readResponse()
            #expect(injected.header("Injected") == nil)
            #expect(injected.header("X-Bad") == nil)
            #expect(injected.header("Bad Name") == nil)
            #expect(injected.header("X-Good") == "ok")
            #expect(injected.header("Transfer-Encoding") == nil)
            #expect(injected.headerValues("Content-Length") == ["4"])
            #expect(injected.text == "body")

            try await client.send("GET /nocontent HTTP/1.1\r\nHost: t\r\n\r\nGET /weird HTTP/1.1\r\nHost: t\r\n\r\nGET /addr HTTP/1.1\r\nHost: t\r\n\r\n")
            let noContent = try await client.readResponse()
            #expect(noContent.status == 204)
            #expect(noContent.header("Content-Length") == nil)
            #expect(try await client.readResponse().status == 500)
            #expect(try await client.readResponse().text == "127.0.0.1")
        }
    }
}
