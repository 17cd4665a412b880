import Foundation

/// One configured schedule as an operator sees it (`billport schedules`, the queue page): its
/// stored state is used only while it belongs to the spec configured now.
public struct ScheduleStatus: Sendable, Hashable {
    public let name: String
    /// `every 1h` or `cron 0 3 * * *`.
    public let spec: String
    public let kind: String
    public let lastRunAt: Date?
    public let lastJobID: Int64?
    /// Nil when the spec can never fire again.
    public let nextRunAt: Date?

    /// The status of each of `schedules`, in their order, from the stored `states` at `now`.
    public static func of(_ schedules: [Schedule], states: [ScheduleState], now: Date) -> [ScheduleStatus] {
        let stored = Dictionary(states.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        return schedules.map { schedule in
            let spec = schedule.spec.description
            let state = stored[schedule.name].flatMap { $0.spec == spec ? $0 : nil }
            return ScheduleStatus(name: schedule.name, spec: spec, kind: schedule.kind, lastRunAt: state?.lastRunAt,
                                  lastJobID: state?.lastJobID, nextRunAt: state?.nextRunAt ?? schedule.spec.nextDate(after: now))
        }
    }
}
