import Billing
import BillportCore
import Queue

extension JobHandlers {
    /// `views.aggregate`: folds raw opens into per-invoice stats; repeated opens of one link from
    /// one address within `window` count once. Idempotent: each view is processed once.
    public mutating func registerViewAggregation(views: any ViewStore, window: Duration) {
        register(BillingJob.aggregateViews) { _, context in
            var total = 0
            while true {
                let processed = try await views.aggregateViews(window: window)
                total += processed
                if processed < 5000 { break }
            }
            if total > 0 { context.logger.debug("views aggregated", ["views": "\(total)"]) }
        }
    }
}
