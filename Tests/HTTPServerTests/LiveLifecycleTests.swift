import TestSupport
import Testing
import HTTPServer

@Suite struct LiveLifecycleTests {
    @Test func connectionsBeyondTheCapGet503AndAreClosed() async throws {
        // Held idle connections keep their slots here however slow the machine: near the cap
        // they would otherwise be closed after the short near-capacity idle allowance.
        let configuration = HTTPServerConfiguration(maxConnections: 2, nearCapacityIdleTimeout: .seconds(60))
        try await withServer(configuration) { port, _ in
            var held: [RawClient] = []
            for _ in 0..<2 {
                let client = try RawClient(port: port)
                try await client.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n")
                #expect(try await client.readResponse().status == 200)
                held.append(client)
            }
            let extra = try RawClient(port: port)
            try await extra.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n")
            let refused = try await extra.readResponse()
            #expect(refused.status == 503)
            #expect(refused.header("Retry-After") == "1")
            #expect(refused.header("Connection") == "close")
            #expect(try await extra.waitForClose(timeout: .seconds(3)))

            // Freeing a slot lets the next connection in.
            held.removeFirst()
            let admitted = await eventually {
                guard let client = try? RawClient(port: port) else { return false }
                try? await client.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n")
                return (try? await client.readResponse().status) == 200
            }
            #expect(admitted)
            #expect(held.count == 1)
        }
    }

    @Test func gracefulShutdownFinishesInFlightWorkAndRefusesNewConnections() async throws {
        let gate = Gate()
        let started = Counter()
        let handler: HTTPHandler = { request in
            if request.path == "/slow" {
                await started.increment()
                await gate.wait()
            }
            return HTTPResponse(text: "done \(request.path)")
        }
        try await withServer(handler: handler) { port, server in
            let idle = try RawClient(port: port)
            try await idle.send("GET /fast HTTP/1.1\r\nHost: a\r\n\r\n")
            #expect(try await idle.readResponse().status == 200)

            let busy = try RawClient(port: port)
            try await busy.send("GET /slow HTTP/1.1\r\nHost: a\r\n\r\n")
            #expect(await eventually { await started.value == 1 })

            let shutdown = Task { await server.shutdown(gracePeriod: .seconds(10)) }
            // The idle keep-alive connection is closed at once; new connections are refused.
            #expect(try await idle.waitForClose(timeout: .seconds(3)))
            #expect(await eventually { (try? RawClient(port: port)) == nil })

            await gate.open()
            let response = try await busy.readResponse()
            #expect(response.text == "done /slow")
            #expect(response.header("Connection") == "close")
            #expect(try await busy.waitForClose(timeout: .seconds(3)))
            busy.close()
            await shutdown.value
            #expect(server.port == nil)
        }
    }

    @Test func shutdownClosesEverythingWhenTheGracePeriodEnds() async throws {
        let handler: HTTPHandler = { _ in
            try? await Task.sleep(for: .seconds(30))
            return HTTPResponse(text: "too late")
        }
        try await withServer(handler: handler) { port, server in
            let client = try RawClient(port: port)
            try await client.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n")
            try await Task.sleep(for: .milliseconds(50))
            let start = ContinuousClock.now
            await server.shutdown(gracePeriod: .milliseconds(200))
            let elapsed = start.duration(to: .now)
            #expect(elapsed >= .milliseconds(150))
            #expect(elapsed < .seconds(5))
            #expect(try await client.readToEnd(timeout: .seconds(2)).isEmpty)
        }
    }

    @Test func runServesUntilCancelled() async throws {
        let server = HTTPServer(configuration: HTTPServerConfiguration(port: 0)) { _ in HTTPResponse(text: "up") }
        let port = try server.start()
        let service = Task { try await server.run(gracePeriod: .milliseconds(200)) }
        let client = try RawClient(port: port)
        try await client.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n")
        #expect(try await client.readResponse().text == "up")
        service.cancel()
        try await service.value
        #expect(server.port == nil)
        #expect((try? RawClient(port: port)) == nil)
    }

    @Test func startFailsLoudly() async throws {
        let first = HTTPServer(configuration: HTTPServerConfiguration(port: 0)) { _ in HTTPResponse() }
        let port = try first.start()
        #expect(throws: HTTPServerError.alreadyStarted) { try first.start() }
        let clash = HTTPServer(configuration: HTTPServerConfiguration(port: port)) { _ in HTTPResponse() }
        #expect(throws: HTTPServerError.self) { try clash.start() }
        let invalid = HTTPServer(configuration: HTTPServerConfiguration(port: 0, maxConnections: 0)) { _ in HTTPResponse() }
        #expect(throws: HTTPServerError.invalidConfiguration("maxConnections must be positive")) { try invalid.start() }
        await first.shutdown()
        await invalid.shutdown()
    }

    @Test func logSinkReceivesRefusals() async throws {
        let lines = LogLines()
        let configuration = HTTPServerConfiguration(log: { line in Task { await lines.append(line) } })
        try await withServer(configuration) { port, _ in
            let client = try RawClient(port: port)
            try await client.send("BROKEN\r\n\r\n")
            #expect(try await client.readResponse().status == 400)
            #expect(await eventually { await lines.all.contains { $0.contains("malformedRequestLine") } })
        }
    }
}

actor LogLines {
    private(set) var all: [String] = []
    func append(_ line: String) { all.append(line) }
}
