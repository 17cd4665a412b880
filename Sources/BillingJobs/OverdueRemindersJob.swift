import Billing
import BillportCore
import Queue

extension JobHandlers {
    /// `reminders.overdue`: enqueues today's reminders (`EmailStore.enqueueOverdueReminders`)
    /// at the configured days after the due date; each is sent by its own `email.send`.
    public mutating func registerOverdueReminders(emails: any EmailStore, offsets: [Int]) {
        register(BillingJob.overdueReminders) { _, context in
            let enqueued = try await emails.enqueueOverdueReminders(offsets: offsets)
            if enqueued > 0 { context.logger.info("overdue reminders enqueued", ["reminders": "\(enqueued)"]) }
        }
    }
}
