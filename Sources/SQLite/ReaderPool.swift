import Dispatch
import Synchronization

/// Read-only connections, each confined to its own serial queue, lent to one reader at a time.
///
/// WAL lets every connection read its own snapshot while the writer commits, so a slow read
/// holds only its own connection. When all are lent, readers wait in arrival order (a returned
/// connection goes straight to the longest waiter, so no reader can be overtaken for ever) and
/// nobody spins or fails.
final class ReaderPool: Sendable {
    private let readers: [Confined]
    private let state: Mutex<State>

    private struct State: ~Copyable {
        var free: [Int]
        /// Who waits for a connection, oldest first; each is called with the one it gets.
        var waiting: [@Sendable (Int) -> Void] = []
    }

    init(_ readers: [Confined]) {
        precondition(!readers.isEmpty, "a database needs at least one reader")
        self.readers = readers
        state = Mutex(State(free: Array(readers.indices.reversed())))
    }

    /// Every connection, for inspection between readers (each runs on its own queue).
    var all: [Confined] { readers }

    /// Runs `body` on a free connection's queue, waiting (suspended) for one when all are lent.
    func run<T: Sendable>(_ body: @escaping @Sendable (Connection) throws -> T) async throws -> T {
        let index = await withCheckedContinuation { continuation in
            take { continuation.resume(returning: $0) }
        }
        defer { giveBack(index) }
        return try await readers[index].async(body)
    }

    /// `run` for callers that are not async: blocks the calling thread while it waits.
    func runBlocking<T>(_ body: (Connection) throws -> T) throws -> T {
        let handoff = Handoff()
        take { handoff.hand($0) }
        let index = handoff.wait()
        defer { giveBack(index) }
        return try readers[index].sync(body)
    }

    /// Calls `receive` with a free connection now, or later when one is given back.
    private func take(_ receive: @escaping @Sendable (Int) -> Void) {
        let index: Int? = state.withLock { state in
            if let index = state.free.popLast() { return index }
            state.waiting.append(receive)
            return nil
        }
        if let index { receive(index) }
    }

    private func giveBack(_ index: Int) {
        let next: (@Sendable (Int) -> Void)? = state.withLock { state in
            guard !state.waiting.isEmpty else {
                state.free.append(index)
                return nil
            }
            return state.waiting.removeFirst()
        }
        next?(index)
    }
}

/// A connection index passed from the thread that gives it back to a thread blocked waiting.
private final class Handoff: Sendable {
    private let semaphore = DispatchSemaphore(value: 0)
    private let index = Mutex(-1)

    func hand(_ value: Int) {
        index.withLock { $0 = value }
        semaphore.signal()
    }

    func wait() -> Int {
        semaphore.wait()
        return index.withLock { $0 }
    }
}
