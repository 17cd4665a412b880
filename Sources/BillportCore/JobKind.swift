/// A kind of job and the payload it carries, declared once and used both to enqueue and to
/// register the handler, so that the name and the payload type can never drift apart.
///
/// It lives in BillportCore, not in Queue, so that the billing domain, which depends on this
/// module only, can declare its kinds beside their payloads.
public struct JobKind<Payload: Codable & Sendable>: Sendable {
    /// The stored kind: lowercase letters, digits, `.`, `_`, `-` (checked when enqueued).
    public let name: String
    /// The queue jobs of this kind go to unless the enqueuer says otherwise.
    public let queue: String
    /// Attempts in all before a job is dead; nil takes the queue's default.
    public let maxAttempts: Int?
    /// How long one attempt may run; nil takes the worker's `jobTimeout`.
    public let timeout: Duration?
    /// The backoff between attempts; nil takes the worker's.
    public let retry: RetryPolicy?

    public init(_ name: String, queue: String = "default", maxAttempts: Int? = nil, timeout: Duration? = nil, retry: RetryPolicy? = nil) {
        self.name = name
        self.queue = queue
        self.maxAttempts = maxAttempts
        self.timeout = timeout
        self.retry = retry
    }
}

/// The payload of a kind that carries nothing (scheduled sweeps): `{}`.
public struct NoPayload: Codable, Sendable, Hashable {
    public init() {}
}
