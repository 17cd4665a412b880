import Synchronization

/// A one-way latch that tells long-running services to stop taking work and drain.
///
/// Triggered by SIGTERM/SIGINT in the executable and by hand in tests.
public final class ShutdownSignal: Sendable {
    private let event = AsyncEvent(latched: true)

    /// A signal not yet triggered.
    public init() {}

    /// Whether shutdown has begun.
    public var isTriggered: Bool { event.isSignalled }

    /// Begins shutdown; every current and future `wait()` returns. Idempotent.
    public func trigger() { event.signal() }

    /// Returns once shutdown has been triggered, or when the calling task is cancelled.
    public func wait() async { _ = await event.wait() }

    /// Waits for shutdown at most `timeout`; returns whether it was triggered.
    @discardableResult
    public func wait(timeout: Duration) async -> Bool { await event.wait(timeout: timeout) }
}

/// A wake-up call between tasks of one process: `ring()` wakes the waiters at once, or the next
/// `wait` if nobody waits yet. Rings coalesce; a ring is never lost.
public final class Doorbell: Sendable {
    private let event = AsyncEvent(latched: false)

    /// A quiet doorbell.
    public init() {}

    /// Wakes every waiter, or leaves a ring for the next one.
    public func ring() { event.signal() }

    /// Waits for a ring, at most `timeout`; returns whether it was rung.
    @discardableResult
    public func wait(timeout: Duration) async -> Bool { await event.wait(timeout: timeout) }
}

/// Parked tasks and a flag: what both `ShutdownSignal` (latched: the flag stays set) and
/// `Doorbell` (not latched: the next wait takes the flag) are made of.
final class AsyncEvent: Sendable {
    private struct State: ~Copyable {
        var signalled = false
        var waiters = Waiters()
    }
    private let state = Mutex(State())
    private let latched: Bool

    init(latched: Bool) {
        self.latched = latched
    }

    var isSignalled: Bool { state.withLock { $0.signalled } }

    /// Wakes every waiter; sets the flag if latched or if nobody was waiting.
    func signal() {
        let resumed = state.withLock { state -> [CheckedContinuation<Bool, Never>] in
            if latched || state.waiters.isEmpty { state.signalled = true }
            return state.waiters.removeAll()
        }
        resumed.forEach { $0.resume(returning: true) }
    }

    /// Returns true when signalled (taking the flag unless latched), false when the task was
    /// cancelled first.
    func wait() async -> Bool {
        let id = Mutex<Int?>(nil)
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let outcome = state.withLock { state -> Bool? in
                    if state.signalled {
                        if !latched { state.signalled = false }
                        return true
                    }
                    if Task.isCancelled { return false }
                    id.withLock { $0 = state.waiters.add(continuation) }
                    return nil
                }
                if let outcome { continuation.resume(returning: outcome) }
            }
        } onCancel: {
            let continuation = state.withLock { state in
                id.withLock { $0 }.flatMap { state.waiters.remove($0) }
            }
            continuation?.resume(returning: false)
        }
    }

    /// `wait()` for at most `timeout`; returns whether it was signalled. A signal that lands
    /// as the timeout fires still counts, so a doorbell's ring is never swallowed.
    func wait(timeout: Duration) async -> Bool {
        if latched, isSignalled { return true }
        return await withTaskGroup(of: Bool.self) { group in
            group.addTask { await self.wait() }
            group.addTask { try? await Task.sleep(for: timeout); return false }
            var signalled = false
            for await result in group {
                signalled = signalled || result
                group.cancelAll()
            }
            return signalled
        }
    }
}
