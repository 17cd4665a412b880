import BillportCore
import Foundation
import Queue

/// When a schedule fires: every fixed interval, or at the minutes a cron expression names (UTC).
public enum ScheduleSpec: Sendable, Hashable, CustomStringConvertible {
    /// Every `interval`, at multiples of it since 1970-01-01 UTC, so that every process agrees
    /// on the slots (`every 1h` fires on the hour).
    case every(Duration)
    /// At the minutes `expression` matches.
    case cron(CronExpression)

    /// The first slot strictly after `date`.
    public func nextDate(after date: Date) -> Date? {
        switch self {
        case .every(let interval):
            let step = max(interval.milliseconds, 1)
            let now = date.unixMilliseconds
            let slot = (now >= 0 ? now / step : (now - step + 1) / step) * step + step
            return Date(unixMilliseconds: slot)
        case .cron(let expression):
            return expression.nextDate(after: date)
        }
    }

    /// `every 1h` or `cron 0 8 * * 1-5`: stored beside the schedule's state, so that a changed
    /// spec is noticed at the next start.
    public var description: String {
        switch self {
        case .every(let interval): return "every \(DurationText.format(interval))"
        case .cron(let expression): return "cron \(expression)"
        }
    }
}

/// A named schedule that enqueues one job per firing.
public struct Schedule: Sendable, Hashable {
    /// Unique name; part of each firing's unique key.
    public let name: String
    /// When it fires.
    public let spec: ScheduleSpec
    /// The job each firing enqueues (its `runAt` and `uniqueKey` are set per firing).
    public let kind: String
    public let payloadJSON: String
    public let queue: String
    public let priority: Int

    /// A schedule; `job` is validated as any enqueue would be.
    public init(name: String, spec: ScheduleSpec, kind: String, payloadJSON: String = "{}", queue: String = "default",
                priority: Int = 0) throws(JobValidationError) {
        _ = try NewJob(kind: kind, payloadJSON: payloadJSON, queue: queue, priority: priority)
        guard !name.isEmpty, name.utf8.count <= 100 else {
            throw JobValidationError(field: "name", message: "must be 1 to 100 characters")
        }
        self.name = name
        self.spec = spec
        self.kind = kind
        self.payloadJSON = payloadJSON
        self.queue = queue
        self.priority = priority
    }

    /// The job for the slot at `slot`: unique per schedule and slot, so a double firing (two
    /// leaders for a moment, a retried transaction) enqueues it once.
    func job(forSlot slot: Date) throws -> NewJob {
        try NewJob(kind: kind, payloadJSON: payloadJSON, queue: queue, priority: priority,
                   uniqueKey: "schedule:\(name):\(ISO8601.format(slot))")
    }
}
