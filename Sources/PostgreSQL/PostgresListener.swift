import Foundation
import Synchronization

/// Listens on channels through a connection of its own, on a thread of its own, until stopped:
/// each notification goes to `received`. Notifications sent while the connection was down are
/// lost, so after it comes back `resumed` runs: the listener's owner then assumes that anything
/// may have changed (a cache starts over, workers poll once).
public final class PostgresListener: Sendable {
    private final class Stopping: Sendable {
        let flag = Atomic<Bool>(false)
    }
    private let stopping = Stopping()
    private let finished = DispatchSemaphore(value: 0)

    /// Connects and listens on `channels` before returning, so that a notification sent after
    /// `init` returns is received; throws when the first connection fails.
    public init(_ connectionString: String, channels: [String],
                received: @escaping @Sendable (PostgresNotification) -> Void,
                resumed: @escaping @Sendable () -> Void) throws {
        let connection = try PostgresConnection(connectionString)
        for channel in channels { try connection.listen(channel) }
        let thread = Thread { [stopping, finished] in
            var wasDown = false
            while !stopping.flag.load(ordering: .acquiring) {
                do {
                    let notes = try connection.notifications(timeout: .milliseconds(250))
                    if wasDown {
                        wasDown = false
                        resumed()
                    }
                    notes.forEach(received)
                } catch {
                    // Down: the next call reconnects and listens again (`PostgresConnection`).
                    wasDown = true
                    Thread.sleep(forTimeInterval: 0.2)
                }
            }
            finished.signal()
        }
        thread.name = "billport.postgres.listener"
        thread.start()
    }

    /// Stops listening and waits (at most about a quarter of a second) for the thread to end.
    public func stop() {
        guard !stopping.flag.exchange(true, ordering: .acquiringAndReleasing) else { return }
        finished.wait()
    }

    deinit { stop() }
}
