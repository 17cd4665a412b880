import Billing
import BillportCore
import Queue

extension JobHandlers {
    /// `links.expire`: marks portal tokens past their expiry (idempotent).
    public mutating func registerLinkExpiry(links: any LinkStore) {
        register(BillingJob.expireLinks) { _, context in
            let marked = try await links.markExpiredPortalTokens()
            if marked > 0 { context.logger.info("portal tokens expired", ["tokens": "\(marked)"]) }
        }
    }
}
