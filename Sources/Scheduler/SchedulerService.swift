import BillportCore
import Foundation
import Queue

/// How the scheduler runs.
public struct SchedulerConfiguration: Sendable, Equatable {
    /// The schedules, by name.
    public var schedules: [Schedule]
    /// How often the scheduler wakes to fire due schedules and renew its lease.
    public var tickInterval: Duration
    /// How long the leader's lease lasts without renewal; another process takes over after it.
    public var leaseDuration: Duration
    /// This process's name in the lease.
    public var holder: String

    /// Defaults: tick every second, 30 s lease.
    public init(schedules: [Schedule] = [], tickInterval: Duration = .seconds(1), leaseDuration: Duration = .seconds(30),
                holder: String = "\(ProcessInfo.processInfo.hostName):\(ProcessInfo.processInfo.processIdentifier)") {
        self.schedules = schedules
        self.tickInterval = tickInterval
        self.leaseDuration = leaseDuration
        self.holder = holder
    }
}

/// Fires schedules from exactly one process at a time: every process ticks, only the holder of
/// the leader lease fires, and a leader that dies is replaced once its lease expires.
public final class SchedulerService: Service {
    public let name = "scheduler"
    private let store: SQLScheduleStore
    private let configuration: SchedulerConfiguration
    private let clock: any WallClock
    private let logger: Logger

    public init(store: SQLScheduleStore, configuration: SchedulerConfiguration, clock: any WallClock = SystemClock(), logger: Logger) {
        self.store = store
        self.configuration = configuration
        self.clock = clock
        self.logger = logger.labelled("scheduler").with("holder", configuration.holder)
    }

    /// One tick now: what tests and `run` call.
    public func tick() async throws -> SchedulerTick {
        try await store.tick(holder: configuration.holder, leaseDuration: configuration.leaseDuration,
                             schedules: configuration.schedules, now: clock.now())
    }

    public func run(until shutdown: ShutdownSignal) async throws {
        logger.info("scheduler started", ["schedules": configuration.schedules.map(\.name).joined(separator: ",")])
        var leading = false
        repeat {
            do {
                let tick = try await tick()
                SchedulerMetrics.record(tick, now: clock.now())
                if tick.isLeader != leading {
                    leading = tick.isLeader
                    logger.notice(leading ? "leading: this process fires schedules" : "no longer leading")
                }
                for firing in tick.fired {
                    logger.info("schedule fired", ["schedule": firing.schedule, "slot": ISO8601.format(firing.slot), "job": "\(firing.jobID)"])
                }
            } catch {
                logger.error("scheduler tick failed", ["error": "\(error)"])
            }
        } while !(await shutdown.wait(timeout: configuration.tickInterval))
        if leading {
            try? await store.resign(holder: configuration.holder)
        }
        BillportMetrics.schedulerLeader.set(0)
        logger.info("scheduler stopped")
    }
}
