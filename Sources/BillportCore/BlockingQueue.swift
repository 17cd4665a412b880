import Dispatch

/// A serial dispatch queue for work that blocks (libcurl, SQLite, an SMTP dialogue), so it
/// never holds one of Swift's cooperative threads, and a lock for whatever only it touches.
///
/// `run` hops onto the queue and resumes the caller when the body is done; `runBlocking` is for
/// callers that are not async and blocks the calling thread. Bodies run one at a time, in
/// order. Cancelling the awaiting task does not stop a body that has started.
public final class BlockingQueue: Sendable {
    private let queue: DispatchQueue

    /// A queue named `label` (visible in debuggers and thread dumps).
    public init(label: String) {
        queue = DispatchQueue(label: label)
    }

    /// Runs `body` on the queue and returns what it returned or throws what it threw.
    public func run<T: Sendable, Failure: Error>(_ body: @escaping @Sendable () throws(Failure) -> T) async throws(Failure) -> T {
        let result: Result<T, Failure> = await withCheckedContinuation { continuation in
            queue.async {
                continuation.resume(returning: Result(catching: body))
            }
        }
        return try result.get()
    }

    /// Runs `body` on the queue, blocking the calling thread until it is done. Calling it from
    /// a body on the same queue would deadlock, so that traps instead.
    public func runBlocking<T, Failure: Error>(_ body: () throws(Failure) -> T) throws(Failure) -> T {
        dispatchPrecondition(condition: .notOnQueue(queue))
        return try queue.sync { Result(catching: body) }.get()
    }
}
