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

/// Runs services side by side and stops them one at a time, the last started first.
///
/// Services start in the order given: list a service after the ones it hands work to (the view
/// recorder before the HTTP server whose requests it records), so that at shutdown it stops
/// first and whatever it hands over while it drains is still taken.
///
/// Shutdown begins when `shutdown` triggers, when a service fails, or when a service returns
/// before shutdown (it can no longer do its part, so the process stops rather than run half).
/// Then each service gets its own signal, and the next one only once it has returned. One
/// deadline covers the whole stop: services still running when it passes are cancelled and
/// `run` throws `ShutdownDeadlineExceeded` naming them.
public struct ServiceGroup: Sendable {
    private let services: [any Service]
    private let shutdownDeadline: Duration
    private let logger: Logger

    /// A group over `services`, in start order, which must all have returned within
    /// `shutdownDeadline` of the start of shutdown.
    public init(services: [any Service], shutdownDeadline: Duration = .seconds(60), logger: Logger) {
        self.services = services
        self.shutdownDeadline = shutdownDeadline
        self.logger = logger
    }

    private enum Event: Sendable {
        case shutdownRequested
        case ended(index: Int, error: (any Error)?)
        case deadlinePassed
    }

    /// Runs every service until shutdown, then stops them in reverse order; returns when all
    /// have returned. Rethrows the first failure; throws `ShutdownDeadlineExceeded` when
    /// services had to be cancelled.
    ///
    /// Cancellation is cooperative: a service that ignores it keeps `run` waiting after the
    /// deadline too (the error is logged at the deadline, and a second signal exits at once).
    public func run(until shutdown: ShutdownSignal) async throws {
        let signals = services.map { _ in ShutdownSignal() }
        let (failure, overdue) = await withTaskGroup(of: Event.self) { group -> ((any Error)?, [String]) in
            for (index, service) in services.enumerated() {
                let signal = signals[index]
                group.addTask {
                    do {
                        try await service.run(until: signal)
                        return .ended(index: index, error: nil)
                    } catch {
                        return .ended(index: index, error: error)
                    }
                }
            }
            group.addTask {
                await shutdown.wait()
                return .shutdownRequested
            }
            var running = Set(services.indices)
            var stopping = false
            var failure: (any Error)?
            var overdue: [String] = []
            while !running.isEmpty, let event = await group.next() {
                switch event {
                case .shutdownRequested:
                    break
                case .ended(let index, let error):
                    running.remove(index)
                    let name = services[index].name
                    if let error {
                        logger.error("service failed; shutting down", ["service": name, "error": "\(error)"])
                        failure = failure ?? error
                    } else if !stopping {
                        logger.warning("service returned before shutdown; stopping the others", ["service": name])
                    } else {
                        logger.debug("service stopped", ["service": name])
                    }
                    shutdown.trigger()
                case .deadlinePassed:
                    overdue = running.sorted().map { services[$0].name }
                    logger.error("shutdown deadline passed; cancelling services still running", [
                        "services": overdue.joined(separator: ","), "deadline": DurationText.format(shutdownDeadline),
                    ])
                    group.cancelAll()
                }
                if shutdown.isTriggered, !stopping {
                    stopping = true
                    let deadline = shutdownDeadline
                    group.addTask {
                        try? await Task.sleep(for: deadline)
                        return .deadlinePassed
                    }
                }
                // The last started of those still running stops first; triggering is idempotent,
                // so this also moves on once the one being stopped has returned.
                if stopping, let last = running.max(), !signals[last].isTriggered {
                    logger.debug("stopping service", ["service": services[last].name])
                    signals[last].trigger()
                }
            }
            group.cancelAll()
            return (failure, overdue)
        }
        if let failure { throw failure }
        if !overdue.isEmpty { throw ShutdownDeadlineExceeded(services: overdue, deadline: shutdownDeadline) }
    }
}

/// Services were still running when the shutdown deadline passed and were cancelled.
public struct ShutdownDeadlineExceeded: Error, CustomStringConvertible {
    /// The names of the services cancelled, in start order.
    public let services: [String]
    /// The deadline that passed.
    public let deadline: Duration

    public var description: String {
        "shutdown took longer than \(DurationText.format(deadline)); cancelled: \(services.joined(separator: ", "))"
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
