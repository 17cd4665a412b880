import Synchronization

/// Continuations parked until an event, each removable when its task is cancelled.
///
/// The building block of `ShutdownSignal` and `Doorbell`; callers hold it inside their own mutex.
struct Waiters: ~Copyable {
    private var nextID = 0
    private var parked: [Int: CheckedContinuation<Void, Never>] = [:]

    init() {}

    mutating func add(_ continuation: CheckedContinuation<Void, Never>) -> Int {
        nextID += 1
        parked[nextID] = continuation
        return nextID
    }

    mutating func remove(_ id: Int) -> CheckedContinuation<Void, Never>? {
        parked.removeValue(forKey: id)
    }

    mutating func removeAll() -> [CheckedContinuation<Void, Never>] {
        defer { parked.removeAll() }
        return Array(parked.values)
    }

    var isEmpty: Bool { parked.isEmpty }
}
