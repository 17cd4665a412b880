import Billing
import BillingFixtures
import BillingStore
import BillportCore
import Foundation
import Queue
import Relational
import SQLite
import TestSupport
import Tokens
import Testing

/// The stores on their own, over a fresh database of the selected backend: what each aggregate
/// keeps, what it enqueues in the same transaction, and that nothing crosses tenants.
@Suite struct StoreTests {
    let temp: BillingTestDatabase
    var jobs: any TransactionalJobStore { temp.jobs }
    var stores: BillingStores { temp.stores }

    init() throws {
        temp = try BillingTestDatabase()
    }

    func readyJobs(_ kind: String) async throws -> [JobRecord] {
        try await jobs.jobs(state: .ready, queue: nil, kind: kind, limit: 100, beforeID: nil)
    }

    @Test func anotherTenantsInvoiceIsNotFoundWhateverTheStoreIsAsked() async throws {
        let acme = try await BillingFixture(stores: stores)
        let other = try await stores.tenants.createTenant(slug: "other", name: "Other")
        #expect(try await stores.invoices.invoice(tenantID: other.id, id: acme.invoice.id) == nil)
        await #expect(throws: BillingError.notFound("invoice")) { try await stores.invoices.issue(tenantID: other.id, id: acme.invoice.id) }
        await #expect(throws: BillingError.notFound("invoice")) {
            try await stores.links.share(tenantID: other.id, invoiceID: acme.invoice.id, regenerate: false)
        }
        #expect(try await stores.customers.customer(tenantID: other.id, id: acme.customer.id) == nil)
        #expect(try await stores.invoices.invoice(tenantID: acme.tenant.id, id: acme.invoice.id)?.status == .draft)
    }

    @Test func issuingEnqueuesOneRenderInTheSameTransactionAndCancellingRevokesTheLinks() async throws {
        let acme = try await BillingFixture(stores: stores)
        #expect(try await readyJobs("pdf.render").isEmpty)
        let issued = try await stores.invoices.issue(tenantID: acme.tenant.id, id: acme.invoice.id)
        #expect(issued.status == .issued)
        let renders = try await readyJobs("pdf.render")
        #expect(renders.map(\.payload) == [#"{"invoiceId":\#(acme.invoice.id),"tenantId":\#(acme.tenant.id)}"#])
        let shared = try await stores.links.share(tenantID: acme.tenant.id, invoiceID: acme.invoice.id, regenerate: false)
        let token = try #require(shared.token)
        let hash = try #require(SecretToken.hash(ofPresented: token))
        #expect(try await stores.links.publicView(tokenHash: hash)?.invoiceNumber == "A-1")
        _ = try await stores.invoices.cancel(tenantID: acme.tenant.id, id: acme.invoice.id)
        #expect(try await stores.links.publicView(tokenHash: hash) == nil)
        await #expect(throws: BillingError.conflict(code: "invalid_status", message: "a cancelled invoice cannot be issued")) {
            try await stores.invoices.issue(tenantID: acme.tenant.id, id: acme.invoice.id)
        }
    }

    @Test func anAPBillNeverReachesABuyerThroughAnyLookUp() async throws {
        let acme = try await BillingFixture(stores: stores)
        try await temp.database.write { db in try db.execute("UPDATE invoices SET type = 'AP' WHERE id = ?", acme.invoice.id) }
        _ = try await stores.invoices.issue(tenantID: acme.tenant.id, id: acme.invoice.id)
        #expect(try await stores.invoices.isBuyerVisible(tenantID: acme.tenant.id, invoiceID: acme.invoice.id) == false)
        #expect(try await stores.invoices.portalInvoicePage(tenantID: acme.tenant.id, customerID: acme.customer.id, limit: 20, offset: 0,
                                                         before: nil)?.invoices.isEmpty == true)
        #expect(try await stores.links.customerInvoice(tenantSlug: "acme", customerID: acme.customer.id, publicID: acme.invoice.publicID) == nil)
    }

    @Test func sendingAnInvoiceEnqueuesOneMailJobAndTheLogKeepsWhatHappened() async throws {
        let acme = try await BillingFixture(stores: stores)
        await #expect(throws: BillingError.conflict(code: "invalid_status", message: "a draft invoice cannot be sent; issue it first")) {
            try await stores.emails.enqueueInvoiceEmail(tenantID: acme.tenant.id, invoiceID: acme.invoice.id, recipients: nil, message: nil)
        }
        _ = try await stores.invoices.issue(tenantID: acme.tenant.id, id: acme.invoice.id)
        let id = try await stores.emails.enqueueInvoiceEmail(tenantID: acme.tenant.id, invoiceID: acme.invoice.id, recipients: nil, message: "Hi")
        let job = try #require(try await jobs.job(id: id))
        #expect(job.kind == "email.send")
        #expect(job.queue == "mail")
        let entry = try await stores.emails.beginEmail(key: "job:\(id):z@example.com", tenantID: acme.tenant.id, invoiceID: acme.invoice.id,
                                                       customerID: acme.customer.id, category: .document, recipient: "z@example.com")
        try await stores.emails.finishEmail(id: entry.id, status: .sent, detail: "250 ok", messageID: "<m@x>")
        #expect(try await stores.emails.emailLog(tenantID: acme.tenant.id, invoiceID: acme.invoice.id).map(\.status) == [.sent])
        #expect(try await stores.invoices.invoice(tenantID: acme.tenant.id, id: acme.invoice.id)?.deliveryStatus == .sent)
    }

    @Test func aProviderEventIsStoredOnceWithItsJobAndAppliedOnce() async throws {
        let acme = try await BillingFixture(stores: stores)
        let invoice = try await stores.invoices.issue(tenantID: acme.tenant.id, id: acme.invoice.id)
        try await stores.payments.recordCheckoutSession(tenantID: acme.tenant.id, invoiceID: invoice.id, sessionID: "cs_1", amount: 100,
                                                        currency: "eur", expiresAt: Date().addingTimeInterval(3600))
        #expect(try await stores.payments.receiveProviderEvent(tenantID: acme.tenant.id, eventID: "evt_1", type: "t", payload: [1]))
        #expect(try await stores.payments.receiveProviderEvent(tenantID: acme.tenant.id, eventID: "evt_1", type: "t", payload: [1]) == false)
        let job = try #require(try await readyJobs("payment.event").first)
        let row = try JSONDecoder().decode(ApplyPaymentEvent.self, from: Data(job.payload.utf8)).eventRowId
        let change = LedgerChange.payment(sessionID: "cs_1", paymentIntent: "pi_1", amount: 100, currency: "eur", state: .succeeded)
        guard case .applied = try await stores.payments.applyLedgerChange(eventRowID: row, invoicePublicID: invoice.publicID, change) else {
            Issue.record("the first apply must change the ledger")
            return
        }
        #expect(try await stores.payments.applyLedgerChange(eventRowID: row, invoicePublicID: invoice.publicID, change) == .alreadyApplied)
        #expect(try await stores.invoices.invoice(tenantID: acme.tenant.id, id: invoice.id)?.status == .paid)
    }
}
