import Foundation

/// What is stored about one schedule.
public struct ScheduleState: Sendable, Hashable {
    public let name: String
    /// The spec as it was when `nextRunAt` was computed.
    public let spec: String
    public let kind: String
    public let nextRunAt: Date
    public let lastRunAt: Date?
    public let lastJobID: Int64?

    public init(name: String, spec: String, kind: String, nextRunAt: Date, lastRunAt: Date?, lastJobID: Int64?) {
        self.name = name
        self.spec = spec
        self.kind = kind
        self.nextRunAt = nextRunAt
        self.lastRunAt = lastRunAt
        self.lastJobID = lastJobID
    }
}

/// Who leads, until when.
public struct LeaderLease: Sendable, Hashable {
    public let holder: String
    public let acquiredAt: Date
    public let expiresAt: Date
}

/// What one schedule should do at a tick: the pure rule, apart from storage.
public enum ScheduleDecision: Sendable, Equatable {
    /// First seen, or its spec changed: start counting from now, without firing.
    case start(next: Date)
    /// Due: enqueue the job for `slot`, then wait for `next`. However many slots were missed
    /// while nothing ran, `next` is the first one after now, so a schedule fires once after
    /// downtime, not once per missed slot.
    case fire(slot: Date, next: Date)
    /// Not yet due.
    case wait
    /// The spec can never fire again (a cron for a date that will not come).
    case never

    /// The decision for `schedule` with stored `state` at `now`.
    public static func decide(_ schedule: Schedule, state: ScheduleState?, now: Date) -> ScheduleDecision {
        guard let next = schedule.spec.nextDate(after: now) else { return .never }
        guard let state, state.spec == schedule.spec.description, state.kind == schedule.kind else {
            return .start(next: next)
        }
        guard state.nextRunAt <= now else { return .wait }
        return .fire(slot: state.nextRunAt, next: next)
    }
}

/// What a tick did.
public struct SchedulerTick: Sendable, Equatable {
    /// Whether this process held the leader lease for the tick.
    public var isLeader: Bool
    /// Schedules fired: name, slot, and the job enqueued (or the existing one with its key).
    public var fired: [Firing]

    public struct Firing: Sendable, Equatable {
        public let schedule: String
        public let slot: Date
        public let jobID: Int64
    }

    public init(isLeader: Bool, fired: [Firing] = []) {
        self.isLeader = isLeader
        self.fired = fired
    }
}
