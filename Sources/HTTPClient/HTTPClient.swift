import BillportCore

/// A minimal HTTP/1.1 client over libcurl: one request in, one complete response out.
///
/// Each client owns one curl easy handle, confined to a serial dispatch queue of its own that
/// acts as its lock: requests run one at a time, and consecutive requests to a host reuse the
/// kept-alive connection. Make one client per remote service (more for parallel requests).
///
/// curl blocks while it works, so it never runs on Swift's cooperative pool: `send` hops to
/// the client's queue and resumes the caller when the response is in; `sendBlocking` is for
/// callers that are not async (CLI, benchmarks) and blocks the calling thread. Cancelling the
/// awaiting task does not stop a request in flight; it ends within `configuration.timeout`.
public final class HTTPClient: @unchecked Sendable {
    // Safety: `handle` is used only inside bodies run on `queue`, a serial queue; everything
    // else is immutable.
    /// The configuration the client was made with.
    public let configuration: HTTPClientConfiguration
    private let handle: HTTPTransfer
    private let queue: BlockingQueue

    /// Makes a client; `label` names its queue in debuggers and thread lists.
    public init(configuration: HTTPClientConfiguration = HTTPClientConfiguration(),
                label: String = "billport.http-client") throws(HTTPClientError) {
        try configuration.validate()
        self.configuration = configuration
        handle = try HTTPTransfer()
        queue = BlockingQueue(label: label)
    }

    /// Sends `request` on the client's queue and returns the response, whatever its status.
    /// Throws only when no response arrived (see `HTTPClientError.Kind`).
    public func send(_ request: HTTPClientRequest) async throws(HTTPClientError) -> HTTPClientResponse {
        try await queue.run { () throws(HTTPClientError) in try self.handle.perform(request, configuration: self.configuration) }
    }

    /// Runs `body` on the client's queue with a session that sends requests synchronously: one
    /// hop for a series of requests instead of two thread switches per request. For senders of
    /// many requests in a row (webhook batches); `body` must not call back into this client.
    public func withSession<T: Sendable>(_ body: @escaping @Sendable (HTTPClientSession) -> T) async -> T {
        await queue.run { () throws(Never) in body(HTTPClientSession(client: self)) }
    }

    fileprivate func performOnQueue(_ request: HTTPClientRequest) throws(HTTPClientError) -> HTTPClientResponse {
        try handle.perform(request, configuration: configuration)
    }

    /// `send` for callers that are not async: blocks the calling thread until the response is in.
    public func sendBlocking(_ request: HTTPClientRequest) throws(HTTPClientError) -> HTTPClientResponse {
        try queue.runBlocking { () throws(HTTPClientError) in try handle.perform(request, configuration: configuration) }
    }
}

/// Sends requests from inside `HTTPClient.withSession`, on the client's queue; valid only there.
public struct HTTPClientSession {
    private let client: HTTPClient
    fileprivate init(client: HTTPClient) { self.client = client }

    /// Sends `request` and returns the response, whatever its status (blocks the calling thread).
    public func send(_ request: HTTPClientRequest) throws(HTTPClientError) -> HTTPClientResponse {
        try client.performOnQueue(request)
    }
}
