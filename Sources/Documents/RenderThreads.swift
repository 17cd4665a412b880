import Foundation
import Synchronization

/// The render pool is full: more renders are waiting than it queues. Answered as 503 with
/// `Retry-After`, retried by the queue.
public struct RenderBusy: Error, Sendable, CustomStringConvertible {
    public let description = "too many PDFs are being made right now"
}

/// Runs CPU-heavy work on its own threads, never on the HTTP event loop or the cooperative
/// pool that handles requests: at most `concurrency` jobs at once, at most `queueLimit`
/// waiting (more are refused with `RenderBusy`). Threads start when work arrives and end when
/// the queue is empty, so an idle pool holds none.
final class RenderThreads: Sendable {
    let concurrency: Int
    let queueLimit: Int
    private struct State {
        var waiting: [@Sendable () -> Void] = []
        var running = 0
    }
    private let state = Mutex(State())

    init(concurrency: Int, queueLimit: Int) {
        self.concurrency = max(1, concurrency)
        self.queueLimit = max(0, queueLimit)
    }

    /// `work`'s result, computed on one of the pool's threads.
    func run<Value: Sendable>(_ work: @escaping @Sendable () throws -> Value) async throws -> Value {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Value, any Error>) in
            let job: @Sendable () -> Void = { continuation.resume(with: Result { try work() }) }
            let startThread = state.withLock { state -> Bool? in
                if state.running < concurrency {
                    state.running += 1
                    state.waiting.append(job)
                    return true
                }
                guard state.waiting.count < queueLimit else { return nil }
                state.waiting.append(job)
                return false
            }
            switch startThread {
            case nil: continuation.resume(throwing: RenderBusy())
            case true?:
                let thread = Thread { [self] in drain() }
                thread.name = "billport-pdf"
                thread.start()
            case false?: break
            }
        }
    }

    /// Runs queued jobs until none is left, then gives up this thread's place.
    private func drain() {
        while true {
            let job = state.withLock { state -> (@Sendable () -> Void)? in
                guard !state.waiting.isEmpty else {
                    state.running -= 1
                    return nil
                }
                return state.waiting.removeFirst()
            }
            guard let job else { return }
            job()
        }
    }
}
