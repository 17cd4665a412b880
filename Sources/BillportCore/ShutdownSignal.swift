import Synchronization

/// A one-way latch that tells long-running services to stop taking work and drain.
///
/// Triggered by SIGTERM/SIGINT in the executable and by hand in tests.
public final class ShutdownSignal: Sendable {
    private struct State: ~Copyable {
        var triggered = false
        var waiters = Waiters()
    }
    private let state = Mutex(State())

    /// A signal not yet triggered.
    public init() {}

    /// Whether shutdown has begun.
    public var isTriggered: Bool { state.withLock { $0.triggered } }

    /// Begins shutdown; every current and future `wait()` returns. Idempotent.
    public func trigger() {
        let resumed = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            guard !state.triggered else { return [] }
            state.triggered = true
            return state.waiters.removeAll()
        }
        resumed.forEach { $0.resume() }
    }

    /// Waits for shutdown at most `timeout`; returns whether it was triggered.
    @discardableResult
    public func wait(timeout: Duration) async -> Bool {
        if isTriggered { return true }
        return await withTaskGroup(of: Bool.self) { group in
            group.addTask { await self.wait(); return self.isTriggered }
            group.addTask { try? await Task.sleep(for: timeout); return self.isTriggered }
            let first = await group.next() ?? false
            group.cancelAll()
            return first
        }
    }

    /// Returns once shutdown has been triggered, or when the calling task is cancelled.
    public func wait() async {
        let id = Mutex<Int?>(nil)
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let alreadyDone = state.withLock { state -> Bool in
                    if state.triggered || Task.isCancelled { return true }
                    id.withLock { $0 = state.waiters.add(continuation) }
                    return false
                }
                if alreadyDone { continuation.resume() }
            }
        } onCancel: {
            let continuation = state.withLock { state in
                id.withLock { $0 }.flatMap { state.waiters.remove($0) }
            }
            continuation?.resume()
        }
    }
}

/// A wake-up call between tasks of one process: `ring()` wakes a waiter at once, or the next
/// `wait` if nobody waits yet. Rings coalesce; a ring is never lost.
public final class Doorbell: Sendable {
    private struct State: ~Copyable {
        var pending = false
        var waiters = Waiters()
    }
    private let state = Mutex(State())

    /// A quiet doorbell.
    public init() {}

    /// Wakes every waiter, or leaves a ring for the next one.
    public func ring() {
        let resumed = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            if state.waiters.isEmpty {
                state.pending = true
                return []
            }
            return state.waiters.removeAll()
        }
        resumed.forEach { $0.resume() }
    }

    /// Waits for a ring, at most `timeout`; returns whether it was rung.
    @discardableResult
    public func wait(timeout: Duration) async -> Bool {
        if state.withLock({ state in defer { state.pending = false }; return state.pending }) { return true }
        return await withTaskGroup(of: Bool.self) { group in
            group.addTask { await self.waitForever(); return !Task.isCancelled }
            group.addTask { try? await Task.sleep(for: timeout); return false }
            let first = await group.next() ?? false
            group.cancelAll()
            return first
        }
    }

    private func waitForever() async {
        let id = Mutex<Int?>(nil)
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let alreadyRung = state.withLock { state -> Bool in
                    if state.pending {
                        state.pending = false
                        return true
                    }
                    if Task.isCancelled { return true }
                    id.withLock { $0 = state.waiters.add(continuation) }
                    return false
                }
                if alreadyRung { continuation.resume() }
            }
        } onCancel: {
            let continuation = state.withLock { state in
                id.withLock { $0 }.flatMap { state.waiters.remove($0) }
            }
            continuation?.resume()
        }
    }
}
