import BillportCore
import Documents
import Foundation
import Mail
import Billing
import Queue
import Tokens

extension JobHandlers {
    /// `email.send` (see `SendEmail`).
    ///
    /// The customer's preference is read again when the job runs, so an opt-out made after
    /// the tenant pressed "send" still holds. Each recipient has a log line keyed by job and
    /// address: a retry skips what an earlier attempt sent, so a retried job does not send
    /// twice once the server accepted a message. (A crash between the server's "250" and the
    /// log write can still send once more; the message keeps its Message-ID, so mail systems
    /// can drop the duplicate.)
    public mutating func registerEmail(stores: BillingStores, pdfs: InvoicePDFService, sender: MailSender, settings: EmailSettings) {
        register(BillingJob.sendEmail) { payload, context in
            try await EmailJob(stores: stores, pdfs: pdfs, sender: sender, settings: settings, context: context).run(payload)
        }
        registerOverdueReminders(emails: stores.emails, offsets: settings.reminderOffsets)
        registerTenantNotifications(sender: sender, settings: settings)
    }
}

/// One run of `email.send`.
struct EmailJob {
    let stores: BillingStores
    let pdfs: InvoicePDFService
    let sender: MailSender
    let settings: EmailSettings
    let context: JobContext

    func run(_ payload: SendEmail) async throws {
        guard let customer = try await stores.customers.customer(tenantID: payload.tenantId, id: payload.customerId) else {
            throw JobError.discard("customer \(payload.customerId) of tenant \(payload.tenantId) does not exist")
        }
        // An erased customer's addresses, the tenant's explicit ones included, reach no log line.
        let recipients = customer.erasedAt != nil ? [CustomerErasure.recipient] : payload.recipients ?? [customer.email]
        let sheet: InvoiceSheet?
        if let invoiceID = payload.invoiceId {
            guard let found = try await pdfs.sheet(tenantID: payload.tenantId, invoiceID: invoiceID) else {
                throw JobError.discard("invoice \(invoiceID) of tenant \(payload.tenantId) does not exist")
            }
            sheet = found
        } else {
            sheet = nil
        }
        let suppression = Self.suppression(payload.category, customer: customer, invoice: sheet?.invoice)
        var retry: MailError?
        for recipient in recipients {
            let entry = try await stores.emails.beginEmail(key: "job:\(context.job.id):\(recipient.lowercased())", tenantID: payload.tenantId,
                                                   invoiceID: payload.invoiceId, customerID: customer.id, category: payload.category,
                                                   recipient: recipient)
            guard entry.status == .sending else { continue } // an earlier attempt finished this one
            if let suppression {
                try await stores.emails.finishEmail(id: entry.id, status: .suppressed, detail: suppression, messageID: nil)
                BillportMetrics.emails.labels("suppressed").increment()
                continue
            }
            do {
                let message = try await compose(payload, sheet: sheet, customer: customer, recipient: recipient, logID: entry.id)
                let receipt = try await sender.send(message)
                try await stores.emails.finishEmail(id: entry.id, status: .sent, detail: receipt.logDetail, messageID: receipt.messageID)
                BillportMetrics.emails.labels("sent").increment()
                if let path = receipt.path { context.logger.debug("email written to the outbox", ["path": path]) }
            } catch let error as MailError where error.isTransient && context.job.attempt < context.job.maxAttempts {
                // Stays `sending`; the next attempt tries again.
                retry = error
            } catch let error as MailError {
                try await stores.emails.finishEmail(id: entry.id, status: .failed, detail: error.logDetail, messageID: nil)
                BillportMetrics.emails.labels("failed").increment()
                context.logger.warning("email failed", ["error": error.description])
            }
        }
        if let retry { throw retry }
    }

    /// Why the message must not go out now, or nil.
    static func suppression(_ category: EmailCategory, customer: Customer, invoice: Invoice?) -> String? {
        guard customer.erasedAt == nil else { return "the customer's personal data was erased" }
        guard category.isAllowed(by: customer.preferences) else {
            return "the customer turned off \(category.preferenceKey.rawValue) emails"
        }
        if category == .reminder, let invoice, invoice.status != .issued || invoice.amountDue <= 0 {
            return "the invoice is \(invoice.status == .issued ? "settled" : invoice.status.rawValue); no reminder needed"
        }
        return nil
    }

    /// RFC 8058 allows one-click only over HTTPS: with a plain-http base URL (a local
    /// `make run`) the header is left out and the body's preference link remains.
    private func listUnsubscribe(token: String, category: EmailCategory) -> ListUnsubscribe? {
        guard settings.publicBaseURL.lowercased().hasPrefix("https://") else { return nil }
        return ListUnsubscribe(url: "\(settings.publicBaseURL)/unsubscribe/\(token)?category=\(category.rawValue)", mailto: settings.unsubscribeMailto)
    }

    /// The message for one recipient: about an invoice (with its PDF and a link of their own),
    /// or about the customer's account (a fresh portal link, or the tenant's marketing text).
    private func compose(_ payload: SendEmail, sheet: InvoiceSheet?, customer: Customer, recipient: String,
                         logID: Int64) async throws -> MailMessage {
        let base = settings.publicBaseURL
        let unsubscribe = settings.unsubscribeTokens.token(tenantID: payload.tenantId, customerID: customer.id)
        try await stores.customers.registerUnsubscribeToken(tenantID: payload.tenantId, customerID: customer.id, hash: UnsubscribeTokens.hash(unsubscribe))
        let preferencesURL = "\(base)/preferences/\(unsubscribe)"
        let words: ComposedEmail
        var attachments: [MailAttachment] = []
        let vendorName: String
        if let sheet {
            vendorName = sheet.vendorName
            let link = try await stores.links.createEmailLink(tenantID: payload.tenantId, invoiceID: sheet.invoice.id, recipient: recipient)
            words = InvoiceEmail.compose(sheet, category: payload.category, note: payload.message, reminderOffset: payload.reminderOffset,
                                         invoiceURL: "\(base)/invoice/\(link)", preferencesURL: preferencesURL)
            if let pdf = try await pdfs.pdf(tenantID: payload.tenantId, invoiceID: sheet.invoice.id) {
                attachments.append(MailAttachment(filename: pdf.fileName, contentType: "application/pdf", data: pdf.bytes))
            }
        } else {
            guard let tenant = try await stores.tenants.tenant(id: payload.tenantId) else { throw JobError.discard("tenant \(payload.tenantId) does not exist") }
            vendorName = tenant.name
            let portal = payload.category == .portal
                ? try await stores.links.createPortalToken(tenantID: payload.tenantId, customerID: customer.id,
                                                           revokeExisting: payload.revokeExisting ?? false).token.map { "\(base)/portal/\($0)" }
                : nil
            words = InvoiceEmail.composeForCustomer(vendorName: tenant.name, customerName: customer.name, category: payload.category,
                                                    subject: payload.subject, note: payload.message, portalURL: portal, preferencesURL: preferencesURL)
        }
        var from = settings.from
        from.name = vendorName
        // The same id on every attempt, so a duplicate after a crash can be recognised.
        let messageID = "billport.\(context.job.id).\(logID)@\(from.domain)"
        return MailMessage(from: from, to: [MailAddress(recipient, name: recipient == customer.email ? customer.name : nil)],
                           subject: words.subject, messageID: messageID,
                           extraHeaders: sheet.map { [("X-Billport-Invoice", $0.invoice.number)] } ?? [], text: words.text, html: words.html,
                           attachments: attachments, listUnsubscribe: listUnsubscribe(token: unsubscribe, category: payload.category))
    }
}
