import Dispatch
import Foundation

/// Something long-running (worker pool, scheduler, HTTP server) with one `run`.
///
/// Shutdown is two-phase: when `shutdown` triggers, a service stops taking new work and drains
/// what it holds, within its own deadline, then returns.
public protocol Service: Sendable {
    /// A short name for logs.
    var name: String { get }
    /// Runs until `shutdown` triggers and the service has drained, or until it fails.
    func run(until shutdown: ShutdownSignal) async throws
}

/// Runs services side by side; when one fails, the others are asked to shut down too.
public struct ServiceGroup: Sendable {
    private let services: [any Service]
    private let logger: Logger

    /// A group over `services`.
    public init(services: [any Service], logger: Logger) {
        self.services = services
        self.logger = logger
    }

    /// Runs every service until `shutdown` triggers (or one fails) and all have returned.
    /// Rethrows the first failure.
    public func run(until shutdown: ShutdownSignal) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for service in services {
                group.addTask {
                    do {
                        try await service.run(until: shutdown)
                    } catch {
                        logger.error("service failed; shutting down", ["service": service.name, "error": "\(error)"])
                        shutdown.trigger()
                        throw error
                    }
                }
            }
            try await group.waitForAll()
        }
    }
}

/// Turns SIGTERM and SIGINT into a `ShutdownSignal`; a second signal exits at once, for the
/// operator who does not want to wait for the drain.
public final class SignalTrap {
    private let sources: [any DispatchSourceSignal]

    /// Installs the trap for `signals`. Keep the returned value alive while it should work.
    public init(signals: [Int32] = [SIGTERM, SIGINT], shutdown: ShutdownSignal, logger: Logger) {
        let queue = DispatchQueue(label: "billport.signals")
        sources = signals.map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler {
                if shutdown.isTriggered {
                    logger.warning("second signal: exiting without waiting for the drain", ["signal": "\(number)"])
                    exit(130)
                }
                logger.notice("shutting down: no new work, draining what runs", ["signal": "\(number)"])
                shutdown.trigger()
            }
            source.resume()
            return source
        }
    }

    deinit {
        sources.forEach { $0.cancel() }
    }
}
