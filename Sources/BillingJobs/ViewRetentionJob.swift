import Billing
import BillportCore
import Queue

extension JobHandlers {
    /// `views.prune`: deletes raw views and blanks their addresses past `retention`, in
    /// bounded batches; the per-invoice stats stay.
    public mutating func registerViewRetention(views: any ViewStore, retention: ViewRetention) {
        register(BillingJob.pruneViews) { _, context in
            let pruned = try await views.pruneViews(retention: retention)
            if pruned != ViewPruning() {
                context.logger.info("views pruned", ["deleted": "\(pruned.deleted)", "anonymised": "\(pruned.anonymised)"])
            }
        }
    }
}
