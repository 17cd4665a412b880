import BillportCore
import Foundation

/// Leadership and firings of this process's scheduler. Schedule names come from the
/// configuration, a closed set.
enum SchedulerMetrics {
    static func record(_ tick: SchedulerTick, now: Date) {
        BillportMetrics.schedulerLeader.set(tick.isLeader ? 1 : 0)
        for firing in tick.fired {
            BillportMetrics.schedulerFirings.labels(firing.schedule).increment()
            BillportMetrics.schedulerLastFiring.labels(firing.schedule).set(now.timeIntervalSince1970)
        }
    }
}
