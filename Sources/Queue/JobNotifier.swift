import BillportCore
import Synchronization

/// Tells this process's workers that a queue has ready jobs, so they start at once instead of
/// at their next poll. Workers in other processes find the jobs by polling, or on PostgreSQL at
/// once through `PostgresJobListener`.
public final class JobNotifier: Sendable {
    private let bells = Mutex<[String: [Doorbell]]>([:])

    /// A notifier with no listeners.
    public init() {}

    /// Rings `bell` whenever `queue` gets ready jobs.
    public func subscribe(queue: String, bell: Doorbell) {
        bells.withLock { $0[queue, default: []].append(bell) }
    }

    /// Stops ringing `bell`.
    public func unsubscribe(_ bell: Doorbell) {
        bells.withLock { all in
            for queue in all.keys { all[queue]?.removeAll { $0 === bell } }
        }
    }

    /// Rings the listeners of each of `queues`.
    public func notify(queues: some Sequence<String>) {
        let listening = bells.withLock { all in queues.flatMap { all[$0] ?? [] } }
        listening.forEach { $0.ring() }
    }

    /// Rings every listener: after wake-ups may have been missed (a listener reconnected).
    public func notifyAll() {
        let listening = bells.withLock { all in all.values.flatMap { $0 } }
        listening.forEach { $0.ring() }
    }
}
