import Billing
import Foundation
import Mail
import Queue

extension JobHandlers {
    /// `notification.send` (see `NotifyTenant`): the tenant's own people, told about an event
    /// they opted in to, through the same mail transport as every other message. Not in the
    /// customers' email log and never an `email.*` event itself, so a failing notification
    /// cannot notify about itself.
    mutating func registerTenantNotifications(sender: MailSender, settings: EmailSettings) {
        register(BillingJob.notifyTenant) { payload, context in
            var from = settings.from
            from.name = "Billport"
            // The same id on every attempt, so a duplicate after a crash can be recognised.
            let message = MailMessage(from: from, to: payload.recipients.map { MailAddress($0) }, subject: payload.subject,
                                      messageID: "billport.notify.\(context.job.id)@\(from.domain)", text: payload.text)
            do {
                _ = try await sender.send(message)
            } catch let error as MailError where !error.isTransient {
                throw JobError.discard("notification not sent: \(error.logDetail)")
            }
        }
    }
}
