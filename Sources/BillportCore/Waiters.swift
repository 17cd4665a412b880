import Synchronization

/// Continuations parked until an event, each removable when its task is cancelled.
///
/// Each is resumed with true when the event happened, false when its task was cancelled.
/// The building block of `AsyncEvent`; callers hold it inside their own mutex.
struct Waiters: ~Copyable {
    private var nextID = 0
    private var parked: [Int: CheckedContinuation<Bool, Never>] = [:]

    init() {}

    mutating func add(_ continuation: CheckedContinuation<Bool, Never>) -> Int {
        nextID += 1
        parked[nextID] = continuation
        return nextID
    }

    mutating func remove(_ id: Int) -> CheckedContinuation<Bool, Never>? {
        parked.removeValue(forKey: id)
    }

    mutating func removeAll() -> [CheckedContinuation<Bool, Never>] {
        defer { parked.removeAll() }
        return Array(parked.values)
    }

    var isEmpty: Bool { parked.isEmpty }
}
