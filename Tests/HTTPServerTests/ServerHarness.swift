import HTTPServer

/// Runs `body` against a live server on an ephemeral port of 127.0.0.1, then shuts it down.
func withServer(
    _ configuration: HTTPServerConfiguration = HTTPServerConfiguration(port: 0),
    handler: @escaping HTTPHandler = echoHandler,
    _ body: (_ port: Int, _ server: HTTPServer) async throws -> Void
) async throws {
    var configuration = configuration
    configuration.port = 0
    configuration.host = "127.0.0.1"
    let server = HTTPServer(configuration: configuration, handler: handler)
    let port = try server.start()
    do {
        try await body(port, server)
    } catch {
        await server.shutdown(gracePeriod: .milliseconds(100))
        throw error
    }
    await server.shutdown(gracePeriod: .milliseconds(100))
}

/// Answers with the method, path, decoded query and body, so tests can see what was parsed.
let echoHandler: HTTPHandler = { request in
    var text = "\(request.method.rawValue) \(request.path)"
    for item in request.queryItems { text += " \(item.name)=\(item.value)" }
    text += " body=\(String(decoding: request.body, as: UTF8.self))"
    return HTTPResponse(status: 200, headers: ["Content-Type": "text/plain"], text: text)
}

/// Polls `condition` until it holds or `timeout` passes; for waiting on effects without
/// sleeping blindly.
func eventually(timeout: Duration = .seconds(5), _ condition: @Sendable () async throws -> Bool) async rethrows -> Bool {
    let deadline = ContinuousClock.now.advanced(by: timeout)
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try? await Task.sleep(for: .milliseconds(5))
    }
    return try await condition()
}

/// A latch handlers can wait on until a test opens it.
actor Gate {
    private var isOpen = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    func wait() async {
        if isOpen { return }
        await withCheckedContinuation { waiters.append($0) }
    }

    func open() {
        isOpen = true
        for waiter in waiters { waiter.resume() }
        waiters = []
    }
}

/// Counts events across tasks, e.g. handler calls started.
actor Counter {
    private(set) var value = 0
    func increment() { value += 1 }
}
