import BillportCore
import Foundation
import Queue
import Scheduler

/// What the queue page shows, read at one moment: every list bounded, so the page costs the same
/// however many jobs failed.
struct QueueSnapshot: Sendable {
    /// How many failing and dead jobs the page lists.
    static let listLimit = 50

    let now: Date
    let stats: QueueStats
    /// Jobs waiting to run again after a failed attempt, newest attempt first.
    let retrying: [JobRecord]
    /// Dead jobs, most recently dead first.
    let dead: [JobRecord]
    let schedules: [ScheduleStatus]
    /// The scheduler's leader while its lease runs; nil when no scheduler leads.
    let leader: LeaderLease?

    static func read(jobs: any SQLJobStore, scheduleStore: SQLScheduleStore, schedules: [Schedule], now: Date) async throws -> QueueSnapshot {
        let leader = try await scheduleStore.leader()
        return QueueSnapshot(
            now: now, stats: try await jobs.stats(), retrying: try await jobs.retryingJobs(limit: listLimit),
            dead: try await jobs.deadJobs(limit: listLimit),
            schedules: ScheduleStatus.of(schedules, states: try await scheduleStore.states(), now: now),
            leader: leader.flatMap { $0.expiresAt > now ? $0 : nil })
    }

    /// The queue whose oldest ready job has waited longest, with that wait.
    var oldestReady: (queue: String, age: Duration)? {
        stats.queues.compactMap { name, queue in queue.oldestReadyAge.map { (name, $0) } }.max { $0.1 < $1.1 }
    }
}

/// Times as the page shows them: `2026-12-03T15:37:12Z` and "3 min ago".
enum RelativeTime {
    /// "12 s ago", "3 min ago", "5 h ago", "2 days ago", or "in 3 min" for a time to come.
    static func describe(_ date: Date, now: Date) -> String {
        let seconds = (now.unixMilliseconds - date.unixMilliseconds) / 1000
        if abs(seconds) < 1 { return "now" }
        let amount = span(seconds: abs(seconds))
        return seconds > 0 ? "\(amount) ago" : "in \(amount)"
    }

    /// "45 s", "3 min", "5 h", "2 days".
    static func span(seconds: Int64) -> String {
        switch seconds {
        case ..<60: "\(seconds) s"
        case ..<3600: "\(seconds / 60) min"
        case ..<172_800: "\(seconds / 3600) h"
        default: "\(seconds / 86_400) days"
        }
    }
}
