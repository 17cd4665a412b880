import BillportCore
import Foundation
import PostgreSQL

/// Wakes this process's workers when any host enqueues ready jobs: `LISTEN billport_jobs` on a
/// connection and thread of its own (`PostgresListener`), each notification's payload (a queue
/// name) rung on the process's `JobNotifier`. After the connection was lost and came back, every
/// queue is rung once, since wake-ups sent meanwhile were lost; polling stays the fallback. A
/// first connection that fails is tried again (with a growing pause, at most 5 s) until shutdown.
public final class PostgresJobListener: Service {
    public let name = "job-listener"
    private let connectionString: String
    private let notifier: JobNotifier
    private let logger: Logger
    private let listening = ShutdownSignal()

    /// Payloads longer than any queue name are not a queue of ours and are ignored.
    static let maximumQueueBytes = 200

    /// A listener on the database `connectionString` names, ringing `notifier` (the job store's).
    public init(connectionString: String, notifier: JobNotifier, logger: Logger = .disabled) {
        self.connectionString = connectionString
        self.notifier = notifier
        self.logger = logger.labelled("job-listener")
    }

    /// Waits until the listener listens, at most `timeout`; whether it does.
    public func waitUntilListening(timeout: Duration) async -> Bool {
        await listening.wait(timeout: timeout)
    }

    public func run(until shutdown: ShutdownSignal) async throws {
        var failures = 0
        while !shutdown.isTriggered {
            do {
                let listener = try await start()
                listening.trigger()
                logger.info("listening for wake-ups from every host")
                await shutdown.wait()
                await Task.detached { listener.stop() }.value
                return
            } catch {
                failures += 1
                if failures == 1 { logger.warning("cannot listen for wake-ups yet; workers poll meanwhile", ["error": "\(error)"]) }
                await shutdown.wait(timeout: .milliseconds(min(5000, 250 * failures)))
            }
        }
    }

    /// Connects and listens, off the cooperative threads (libpq blocks).
    private func start() async throws -> PostgresListener {
        let connectionString = connectionString
        let notifier = notifier
        return try await Task.detached {
            try PostgresListener(connectionString, channels: [JobWakeups.channel], received: { notification in
                guard notification.channel == JobWakeups.channel, notification.payload.utf8.count <= Self.maximumQueueBytes else { return }
                notifier.notify(queues: [notification.payload])
            }, resumed: { notifier.notifyAll() })
        }.value
    }
}
