import BillportCore
import Foundation
import PostgreSQL

/// Wakes this process's workers when any host enqueues ready jobs: one dedicated connection,
/// on a thread of its own, `LISTEN billport_jobs`, each notification's payload (a queue name)
/// rung on the process's `JobNotifier`. A lost connection is opened again (with a growing pause,
/// at most 5 s) and every queue rung once, since wake-ups sent meanwhile were lost; polling
/// stays the fallback. Stops within `wait` of shutdown.
public final class PostgresJobListener: Service {
    public let name = "job-listener"
    private let connectionString: String
    private let notifier: JobNotifier
    private let wait: Duration
    private let logger: Logger
    private let listening = ShutdownSignal()

    /// Payloads longer than any queue name are not a queue of ours and are ignored.
    static let maximumQueueBytes = 200

    /// A listener on the database `connectionString` names, ringing `notifier` (the job store's).
    /// `wait` bounds each wait on the socket, and so how long a stop takes.
    public init(connectionString: String, notifier: JobNotifier, wait: Duration = .milliseconds(250), logger: Logger = .disabled) {
        self.connectionString = connectionString
        self.notifier = notifier
        self.wait = wait
        self.logger = logger.labelled("job-listener")
    }

    /// Waits until the listener has run `LISTEN` once, at most `timeout`; whether it has.
    public func waitUntilListening(timeout: Duration) async -> Bool {
        await listening.wait(timeout: timeout)
    }

    public func run(until shutdown: ShutdownSignal) async throws {
        await withCheckedContinuation { (finished: CheckedContinuation<Void, Never>) in
            let thread = Thread { [self] in
                listen(until: shutdown)
                finished.resume()
            }
            thread.name = "billport-job-listener"
            thread.start()
        }
    }

    private func listen(until shutdown: ShutdownSignal) {
        var connection: PostgresConnection?
        var failures = 0
        while !shutdown.isTriggered {
            do {
                let current: PostgresConnection
                if let connection { current = connection } else {
                    current = try PostgresConnection(connectionString, connectTimeout: .seconds(5))
                    try current.listen(JobWakeups.channel)
                    connection = current
                    if listening.isTriggered {
                        logger.notice("listening again for wake-ups")
                        notifier.notifyAll()
                    }
                    listening.trigger()
                }
                let queues = try current.notifications(timeout: wait)
                    .filter { $0.channel == JobWakeups.channel && $0.payload.utf8.count <= Self.maximumQueueBytes }
                    .map(\.payload)
                if !queues.isEmpty { notifier.notify(queues: Set(queues)) }
                failures = 0
            } catch {
                connection = nil
                failures += 1
                if failures == 1 { logger.warning("lost the wake-up connection; workers poll meanwhile", ["error": "\(error)"]) }
                pause(.milliseconds(min(5000, 250 * failures)), unless: shutdown)
            }
        }
    }

    /// Sleeps `duration` in slices of `wait`, returning early at shutdown.
    private func pause(_ duration: Duration, unless shutdown: ShutdownSignal) {
        var remaining = duration
        while remaining > .zero, !shutdown.isTriggered {
            let slice = min(remaining, wait)
            Thread.sleep(forTimeInterval: slice.timeInterval)
            remaining -= slice
        }
    }
}
