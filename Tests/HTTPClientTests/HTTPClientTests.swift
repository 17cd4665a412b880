import BillportCore
import Foundation
import HTTPClient
import HTTPServer
import TestSupport
import Testing

/// Runs `body` against a live `HTTPServer` on an ephemeral port of 127.0.0.1.
func withServer(_ configuration: HTTPServerConfiguration = HTTPServerConfiguration(port: 0),
                handler: @escaping HTTPHandler,
                _ body: (_ baseURL: String) async throws -> Void) async throws {
    var configuration = configuration
    configuration.host = "127.0.0.1"
    configuration.port = 0
    let server = HTTPServer(configuration: configuration, handler: handler)
    let port = try server.start()
    do {
        try await body("http://127.0.0.1:\(port)")
    } catch {
        await server.shutdown(gracePeriod: .milliseconds(100))
        throw error
    }
    await server.shutdown(gracePeriod: .milliseconds(100))
}

/// Answers with what it received, so tests can see what the client sent.
let echo: HTTPHandler = { request in
    var lines = ["\(request.method.rawValue) \(request.target)"]
    for field in request.headers { lines.append("\(field.name.lowercased()): \(field.value)") }
    lines.append("")
    return HTTPResponse(status: 200, headers: ["Content-Type": "text/plain", "X-Echo": "yes", "X-Echo": "twice"],
                        body: Array(lines.joined(separator: "\n").utf8) + request.body)
}

@Suite struct HTTPClientTests {
    @Test func postsHeadersAndBodyAndReadsTheWholeResponse() async throws {
        try await withServer(handler: echo) { base in
            let client = try HTTPClient()
            let body = Array("name=Zo%C3%AB&x=1".utf8)
            let response = try await client.send(HTTPClientRequest(
                method: .post, url: base + "/v1/things?a=b",
                headers: ["Content-Type": "application/x-www-form-urlencoded", "Idempotency-Key": "k-1", "X-Empty": ""],
                body: body))
            #expect(response.status == 200)
            #expect(response.isSuccess)
            #expect(response.headers["content-type"] == "text/plain")
            #expect(response.headers.values(for: "X-Echo") == ["yes", "twice"])
            let text = response.text
            #expect(text.hasPrefix("POST /v1/things?a=b\n"))
            #expect(text.contains("idempotency-key: k-1\n"))
            #expect(text.contains("content-type: application/x-www-form-urlencoded\n"))
            #expect(text.contains("content-length: \(body.count)\n"))
            #expect(text.contains("user-agent: Billport\n"))
            #expect(text.contains("x-empty: \n"))
            #expect(!text.contains("expect:"), "no Expect: 100-continue round trip")
            #expect(text.hasSuffix("\nname=Zo%C3%AB&x=1"))
        }
    }

    @Test func everyMethodGoesOutAsAsked() async throws {
        try await withServer(handler: echo) { base in
            let client = try HTTPClient()
            for method in [HTTPClientRequest.Method.get, .delete, .put, .patch] {
                let response = try await client.send(HTTPClientRequest(method: method, url: base + "/m"))
                #expect(response.text.hasPrefix("\(method.rawValue) /m\n"))
            }
            let put = try await client.send(HTTPClientRequest(method: .put, url: base + "/p", body: Array("hi".utf8)))
            #expect(put.text.hasPrefix("PUT /p\n") && put.text.hasSuffix("\nhi"))
            let head = try await client.send(HTTPClientRequest(method: .head, url: base + "/h"))
            #expect(head.status == 200 && head.body.isEmpty)
            let emptyPost = try await client.send(HTTPClientRequest(method: .post, url: base + "/e"))
            #expect(emptyPost.text.contains("content-length: 0\n"))
        }
    }

    @Test func errorStatusesAreResponsesNotErrors() async throws {
        try await withServer(handler: { _ in HTTPResponse(status: 503, headers: ["Retry-After": "1"], text: "busy") }) { base in
            let response = try await HTTPClient().send(HTTPClientRequest(url: base + "/"))
            #expect(response.status == 503)
            #expect(!response.isSuccess)
            #expect(response.headers["Retry-After"] == "1")
            #expect(response.text == "busy")
        }
    }

    /// With room for one connection only, the server answers a second connection 503: ten
    /// 200s in a row mean the client kept reusing its first connection.
    @Test func consecutiveRequestsReuseOneConnection() async throws {
        try await withServer(HTTPServerConfiguration(port: 0, maxConnections: 1), handler: echo) { base in
            let client = try HTTPClient()
            for index in 0..<10 {
                let response = try await client.send(HTTPClientRequest(url: base + "/\(index)"))
                #expect(response.status == 200, "request \(index) came on a new connection")
            }
            // The check can fail: a second client, with a connection of its own, is turned away.
            let other = try await HTTPClient().send(HTTPClientRequest(url: base + "/other"))
            #expect(other.status == 503)
        }
    }

    @Test func concurrentCallersShareTheClientSafely() async throws {
        try await withServer(handler: echo) { base in
            let client = try HTTPClient()
            try await withThrowingTaskGroup(of: Bool.self) { group in
                for index in 0..<40 {
                    group.addTask {
                        let response = try await client.send(HTTPClientRequest(url: base + "/c\(index)"))
                        return response.text.hasPrefix("GET /c\(index)\n")
                    }
                }
                for try await matched in group { #expect(matched) }
            }
        }
    }

    @Test func blockingCallsWorkFromPlainThreads() async throws {
        try await withServer(handler: echo) { base in
            let client = try HTTPClient()
            let status = try await withCheckedThrowingContinuation { continuation in
                Thread.detachNewThread {
                    continuation.resume(with: Result { try client.sendBlocking(HTTPClientRequest(url: base + "/b")).status })
                }
            }
            #expect(status == 200)
        }
    }

    @Test func aSilentServerTimesOut() async throws {
        let release = Release()
        try await withServer(handler: { _ in
            await release.wait()
            return HTTPResponse(status: 200, text: "late")
        }) { base in
            let client = try HTTPClient(configuration: HTTPClientConfiguration(timeout: .milliseconds(300)))
            // Timed on the thread that waits for curl, so a busy cooperative pool (the whole
            // suite runs in parallel on two cores) cannot add its queueing to the figure.
            let (result, elapsed) = await withCheckedContinuation { continuation in
                DispatchQueue.global().async {
                    let started = ContinuousClock.now
                    let result = Result { () throws(HTTPClientError) -> HTTPClientResponse in
                        try client.sendBlocking(HTTPClientRequest(url: base + "/slow"))
                    }
                    continuation.resume(returning: (result, ContinuousClock.now - started))
                }
            }
            guard case .failure(let error) = result else {
                Issue.record("a server that never answers gave a response")
                await release.open()
                return
            }
            #expect(error.kind == .timedOut)
            #expect(error.isTransient == true)
            #expect(error.curlCode == 28)
            #expect(elapsed < .seconds(5))
            await release.open()
        }
    }

    @Test func nothingListeningIsConnectionRefused() async throws {
        // Held bound without listening, so no other test's server can take the port meanwhile.
        let closed = try UnlistenedPort()
        let port = closed.port
        let error = await #expect(throws: HTTPClientError.self) {
            try await HTTPClient().send(HTTPClientRequest(url: "http://127.0.0.1:\(port)/"))
        }
        #expect(error?.kind == .connectionRefused)
        #expect(error?.isTransient == true)
        #expect(error?.message.contains("Failed to connect to 127.0.0.1 port \(port)") == true,
                "curl's message is kept: \(String(describing: error))")
        withExtendedLifetime(closed) {}
    }

    @Test func anUnknownHostIsReportedAsSuch() async throws {
        let error = await #expect(throws: HTTPClientError.self) {
            try await HTTPClient().send(HTTPClientRequest(url: "http://billport-no-such-host.invalid/"))
        }
        #expect(error?.kind == .couldNotResolveHost)
    }

    @Test func tlsToAPlainServerIsATLSError() async throws {
        try await withServer(handler: echo) { base in
            let error = await #expect(throws: HTTPClientError.self) {
                try await HTTPClient().send(HTTPClientRequest(url: base.replacingOccurrences(of: "http:", with: "https:")))
            }
            #expect(error?.kind == .tls)
            #expect(error?.isTransient == false)
        }
    }

    @Test func anOversizedBodyIsRefused() async throws {
        try await withServer(handler: { _ in HTTPResponse(status: 200, body: Array(repeating: 65, count: 100_000)) }) { base in
            let client = try HTTPClient(configuration: HTTPClientConfiguration(maxResponseBytes: 10_000))
            let error = await #expect(throws: HTTPClientError.self) {
                try await client.send(HTTPClientRequest(url: base + "/big"))
            }
            #expect(error?.kind == .responseTooLarge)
            // The client still works afterwards.
            let ok = try await HTTPClient().send(HTTPClientRequest(url: base + "/big"))
            #expect(ok.body.count == 100_000)
        }
    }

    @Test func headerInjectionAndBadURLsAreRefusedBeforeSending() async throws {
        let client = try HTTPClient()
        let bad = [
            HTTPClientRequest(url: "http://127.0.0.1:1/", headers: ["X-A": "1\r\nX-Injected: 2"]),
            HTTPClientRequest(url: "http://127.0.0.1:1/", headers: ["X A": "1"]),
            HTTPClientRequest(url: "http://127.0.0.1:1/", headers: ["Content-Length": "5"]),
            HTTPClientRequest(url: "ftp://127.0.0.1/file"),
            HTTPClientRequest(url: "http://127.0.0.1:1/a b"),
            HTTPClientRequest(method: .init(rawValue: "GET /x"), url: "http://127.0.0.1:1/"),
        ]
        for request in bad {
            let error = await #expect(throws: HTTPClientError.self) { try await client.send(request) }
            #expect(error?.kind == .invalidRequest)
            #expect(error?.curlCode == nil)
        }
    }

    @Test func invalidConfigurationsAreRefused() {
        #expect(throws: HTTPClientError.self) { try HTTPClient(configuration: HTTPClientConfiguration(timeout: .zero)) }
        #expect(throws: HTTPClientError.self) { try HTTPClient(configuration: HTTPClientConfiguration(maxResponseBytes: 0)) }
        #expect(throws: HTTPClientError.self) { try HTTPClient(configuration: HTTPClientConfiguration(userAgent: "a\nb")) }
    }

    @Test func headersCompareNamesCaseInsensitively() {
        var headers: HTTPHeaders = ["Accept": "a", "X-Two": "1"]
        headers.add("x-two", "2")
        #expect(headers["ACCEPT"] == "a")
        #expect(headers.values(for: "X-TWO") == ["1", "2"])
        headers.set("X-Two", "3")
        #expect(headers.values(for: "x-two") == ["3"])
        headers.remove("accept")
        #expect(!headers.contains("Accept"))
        #expect(headers.count == 1)
    }
}

/// A latch a handler waits on until the test opens it.
actor Release {
    private var isOpen = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    func wait() async {
        if isOpen { return }
        await withCheckedContinuation { waiters.append($0) }
    }

    func open() {
        isOpen = true
        waiters.forEach { $0.resume() }
        waiters = []
    }
}
