import Billing
import BillingFixtures
import BillingStore
import BillportCore
import Foundation
import Queue
import Relational
import TestSupport
import Testing
import Tokens

/// The buyer-facing half of the tour: links and portal tokens, the PDF cache, email, sales
/// orders and messages, webhook endpoints.
extension StoreTourTests {
    @Test func linksAndPortalTokensOpenWhatTheyShouldUntilRevokedOrExpired() async throws {
        let acme = try await BillingFixture(stores: stores)
        let (id, customer) = (acme.tenant.id, acme.customer.id)
        let invoice = try await stores.invoices.issue(tenantID: id, id: acme.invoice.id)
        let shared = try await stores.links.share(tenantID: id, invoiceID: invoice.id, regenerate: false)
        #expect(try await stores.links.share(tenantID: id, invoiceID: invoice.id, regenerate: false).alreadyShared)
        let token = try #require(shared.token)
        let hash = try #require(SecretToken.hash(ofPresented: token))
        #expect(try await stores.links.linkedInvoice(tokenHash: hash)?.invoiceID == invoice.id)
        let emailed = try await stores.links.createEmailLink(tenantID: id, invoiceID: invoice.id, recipient: "z@example.com")
        let emailedHash = try #require(SecretToken.hash(ofPresented: emailed))
        #expect(try await stores.links.linkedInvoice(tokenHash: emailedHash)?.emailed == true)
        #expect(try await stores.links.customerInvoice(tenantSlug: "acme", customerID: customer, publicID: invoice.publicID)?.invoiceID == invoice.id)
        try await stores.links.revokeLinks(tenantID: id, invoiceID: invoice.id)
        #expect(try await stores.links.linkedInvoice(tokenHash: hash) == nil)

        let portal = try await stores.links.createPortalToken(tenantID: id, customerID: customer, revokeExisting: true)
        let portalToken = try #require(portal.token)
        let portalHash = try #require(SecretToken.hash(ofPresented: portalToken))
        let access = try #require(try await stores.links.portalCustomer(tokenHash: portalHash))
        #expect(access.customerID == customer && !access.expired)
        #expect(try await stores.links.portalCustomer(linkID: access.linkID)?.customerID == customer)
        #expect(try await stores.links.portalTokens(tenantID: id, limit: 10).map(\.id) == [portal.id])
        #expect(try await stores.links.markExpiredPortalTokens() == 0)
        try await temp.database.write { db in try db.execute("UPDATE links SET expires_at = 1 WHERE id = ?", portal.id) }
        #expect(try await stores.links.markExpiredPortalTokens() == 1)
        try await stores.links.revokePortalToken(tenantID: id, customerID: customer)
        #expect(try await stores.links.portalCustomer(tokenHash: portalHash) == nil)
    }

    @Test func thePDFCacheKeepsBytesAndTheDocumentPartsHoldTheInvoice() async throws {
        let acme = try await BillingFixture(stores: stores)
        let pdf: [UInt8] = Array("%PDF-1.7\n".utf8) + [0, 0xFF, 0x80]
        try await stores.documents.storePDF(invoiceID: acme.invoice.id, contentHash: "h1", pdf: pdf)
        try await stores.documents.storePDF(invoiceID: acme.invoice.id, contentHash: "h1", pdf: pdf)
        #expect(try await stores.documents.cachedPDF(invoiceID: acme.invoice.id, contentHash: "h1") == pdf)
        #expect(try await stores.documents.cachedPDF(invoiceID: acme.invoice.id, contentHash: "h2") == nil)
        #expect(try await stores.documents.documentParts(tenantID: acme.tenant.id, invoiceID: acme.invoice.id)?.invoice.number == "A-1")
    }

    @Test func emailsAreQueuedAndLoggedPerCustomer() async throws {
        let acme = try await BillingFixture(stores: stores)
        let (id, customer) = (acme.tenant.id, acme.customer.id)
        let job = try await stores.emails.enqueueCustomerEmail(tenantID: id, customerID: customer, category: .portal, subject: nil, message: nil,
                                                               revokeExisting: false)
        #expect(try await temp.jobs.job(id: job)?.kind == "email.send")
        let entry = try await stores.emails.beginEmail(key: "job:\(job):z@example.com", tenantID: id, invoiceID: nil, customerID: customer,
                                                       category: .portal, recipient: "z@example.com")
        let again = try await stores.emails.beginEmail(key: "job:\(job):z@example.com", tenantID: id, invoiceID: nil, customerID: customer,
                                                       category: .portal, recipient: "z@example.com")
        #expect(again.id == entry.id)
        try await stores.emails.finishEmail(id: entry.id, status: .failed, detail: "550 no", messageID: nil)
        #expect(try await stores.emails.emailLog(tenantID: id, customerID: customer).map(\.status) == [.failed])
    }

    @Test func salesOrdersAndPortalMessagesBelongToTheirCustomer() async throws {
        let acme = try await BillingFixture(stores: stores)
        let (id, customer) = (acme.tenant.id, acme.customer.id)
        let order = try await stores.salesOrders.createSalesOrder(tenantID: id, SalesOrderDraft(
            customerId: customer, number: "SO-1", currency: try #require(Currency(code: "EUR")), total: 5_000, orderDate: CalendarDate(year: 2026, month: 12, day: 1)))
        #expect(try await stores.salesOrders.setSalesOrderStatus(tenantID: id, id: order.id, status: .confirmed).status == .confirmed)
        #expect(try await stores.salesOrders.salesOrder(tenantID: id, id: order.id)?.number == "SO-1")
        #expect(try await stores.salesOrders.salesOrders(tenantID: id, customerID: customer).map(\.id) == [order.id])
        #expect(try await stores.salesOrders.salesOrders(tenantID: id, customerID: nil, limit: 10, beforeID: nil).map(\.id) == [order.id])

        var portal = try await stores.tenants.portalSettings(tenantID: id)
        portal.allowMessages = true
        _ = try await stores.tenants.updatePortalSettings(tenantID: id, portal)
        let quota = MessageQuota(perDay: 2, unread: 10)
        let first = try await stores.salesOrders.addCustomerMessage(tenantID: id, customerID: customer, text: "Hello", quota: quota)
        _ = try await stores.salesOrders.addCustomerMessage(tenantID: id, customerID: customer, text: "Again", quota: quota)
        await #expect(throws: MessageQuotaExceeded.self) {
            try await stores.salesOrders.addCustomerMessage(tenantID: id, customerID: customer, text: "Third", quota: quota)
        }
        try await stores.salesOrders.markMessageRead(tenantID: id, id: first.id)
        #expect(try await stores.salesOrders.customerMessages(tenantID: id, unreadOnly: true, limit: 10).map(\.body) == ["Again"])
        #expect(try await stores.salesOrders.customerMessages(tenantID: id, unreadOnly: false, limit: 10).count == 2)
    }

    @Test func webhookEndpointsAreChangedRotatedAndDeleted() async throws {
        let id = try await BillingFixture(stores: stores).tenant.id
        let endpoint = try await stores.webhookEndpoints.createWebhookEndpoint(
            tenantID: id, WebhookEndpointFields(url: "https://erp.example.com/hooks", eventTypes: .some([.invoicePaid])), secret: "whsec_a")
        let changed = try await stores.webhookEndpoints.updateWebhookEndpoint(tenantID: id, id: endpoint.id,
                                                                              WebhookEndpointFields(description: "ERP", enabled: false))
        #expect(changed.description == "ERP" && !changed.enabled)
        _ = try await stores.webhookEndpoints.rotateWebhookSecret(tenantID: id, id: endpoint.id, secret: "whsec_b", overlap: .seconds(3600))
        #expect(try await stores.webhookEndpoints.signingSecrets(tenantID: id, id: endpoint.id) == ["whsec_b", "whsec_a"])
        #expect(try await stores.webhookEndpoints.webhookEndpoints(tenantID: id).map(\.id) == [endpoint.id])
        try await stores.webhookEndpoints.deleteWebhookEndpoint(tenantID: id, id: endpoint.id)
        #expect(try await stores.webhookEndpoints.webhookEndpoint(tenantID: id, id: endpoint.id) == nil)
    }
}
