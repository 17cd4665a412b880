import Dispatch
import Foundation
import Synchronization

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
/// deadline covers the whole stop: when it passes, the services still running are cancelled
/// and `run` throws `ShutdownDeadlineExceeded` naming them at once, without waiting for them
/// (a service need not honour cancellation for the process to exit on time).
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

    /// Runs every service until shutdown, then stops them in reverse order; returns when all
    /// have returned. Rethrows the first failure; throws `ShutdownDeadlineExceeded` when the
    /// deadline passed first. Cancelling the calling task cancels the services.
    public func run(until shutdown: ShutdownSignal) async throws {
        let signals = services.map { _ in ShutdownSignal() }
        let mailbox = ServiceEvents()
        // Unstructured, so that `run` can return at the deadline while a service still runs.
        let tasks = services.enumerated().map { index, service in
            Task {
                do {
                    try await service.run(until: signals[index])
                    mailbox.post(.ended(index: index, error: nil))
                } catch {
                    mailbox.post(.ended(index: index, error: error))
                }
            }
        }
        let watcher = Task {
            await shutdown.wait()
            if shutdown.isTriggered { mailbox.post(.shutdownRequested) }
        }
        defer { watcher.cancel() }
        let (failure, overdue) = await withTaskCancellationHandler {
            await supervise(tasks, signals: signals, mailbox: mailbox, shutdown: shutdown)
        } onCancel: {
            tasks.forEach { $0.cancel() }
        }
        if let failure { throw failure }
        if !overdue.isEmpty { throw ShutdownDeadlineExceeded(services: overdue, deadline: shutdownDeadline) }
    }

    /// Waits for the services' ends and stops them in order; the first failure and the names of
    /// the services cancelled at the deadline.
    private func supervise(_ tasks: [Task<Void, Never>], signals: [ShutdownSignal], mailbox: ServiceEvents,
                           shutdown: ShutdownSignal) async -> ((any Error)?, [String]) {
        var running = Set(services.indices)
        var failure: (any Error)?
        var timer: Task<Void, Never>?
        defer { timer?.cancel() }
        while !running.isEmpty {
            switch await mailbox.next() {
            case .shutdownRequested:
                break
            case .ended(let index, let error):
                running.remove(index)
                let name = services[index].name
                if let error {
                    logger.error("service failed; shutting down", ["service": name, "error": "\(error)"])
                    failure = failure ?? error
                } else if timer == nil {
                    logger.warning("service returned before shutdown; stopping the others", ["service": name])
                } else {
                    logger.debug("service stopped", ["service": name])
                }
                shutdown.trigger()
            case .deadlinePassed:
                let overdue = running.sorted()
                logger.error("shutdown deadline passed; cancelling services still running", [
                    "services": overdue.map { services[$0].name }.joined(separator: ","), "deadline": DurationText.format(shutdownDeadline),
                ])
                overdue.forEach { tasks[$0].cancel() }
                return (failure, overdue.map { services[$0].name })
            }
            if shutdown.isTriggered, timer == nil {
                let deadline = shutdownDeadline
                timer = Task {
                    try? await Task.sleep(for: deadline)
                    if !Task.isCancelled { mailbox.post(.deadlinePassed) }
                }
            }
            // The last started of those still running stops first; this also moves on to the
            // next once the one being stopped has returned.
            if timer != nil, let last = running.max(), !signals[last].isTriggered {
                logger.debug("stopping service", ["service": services[last].name])
                signals[last].trigger()
            }
        }
        return (failure, [])
    }
}

/// What the group hears: shutdown asked for, a service's end, the deadline.
private enum ServiceEvent: Sendable {
    case shutdownRequested
    case ended(index: Int, error: (any Error)?)
    case deadlinePassed
}

/// The group's queue of events. `next()` ignores cancellation on purpose: once a cancelled
/// group has cancelled its services, it still waits to hear each one end.
private final class ServiceEvents: Sendable {
    private struct State: ~Copyable {
        var events: [ServiceEvent] = []
        var waiter: CheckedContinuation<ServiceEvent, Never>?
    }
    private let state = Mutex(State())

    func post(_ event: ServiceEvent) {
        let waiter = state.withLock { state -> CheckedContinuation<ServiceEvent, Never>? in
            guard let waiter = state.waiter else {
                state.events.append(event)
                return nil
            }
            state.waiter = nil
            return waiter
        }
        waiter?.resume(returning: event)
    }

    /// The oldest event, waiting for one if there is none; one caller at a time.
    func next() async -> ServiceEvent {
        await withCheckedContinuation { continuation in
            let ready = state.withLock { state -> ServiceEvent? in
                if !state.events.isEmpty { return state.events.removeFirst() }
                state.waiter = continuation
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
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
