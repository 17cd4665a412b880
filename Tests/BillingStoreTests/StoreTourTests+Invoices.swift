import Billing
import BillingFixtures
import BillingStore
import BillportCore
import Foundation
import Queue
import TestSupport
import Testing

/// Invoices through their life on the selected backend: edited as drafts, listed by filter,
/// credited, their delivery tracked, and the tenant told once per window.
extension StoreTourTests {
    func draft(_ customerID: Int64, number: String, due: String, unitPrice: Int = 100) throws -> InvoiceDraft {
        try InvoiceDraft.validate(try JSONDecoder().decode(CreateInvoiceRequest.self, from: Data("""
            {"customerId": \(customerID), "number": "\(number)", "currency": "EUR", "issueDate": "2026-11-01", "dueDate": "\(due)",
             "lines": [{"description": "x", "quantity": 2, "unitPrice": \(unitPrice)}]}
            """.utf8)))
    }

    @Test func draftsAreEditedListedByFilterCreditedAndTracked() async throws {
        let acme = try await BillingFixture(stores: stores)
        let (id, customer) = (acme.tenant.id, acme.customer.id)
        let edited = try await stores.invoices.updateDraft(tenantID: id, id: acme.invoice.id) { [self] _ in
            try draft(customer, number: "A-1", due: "2026-12-01", unitPrice: 250)
        }
        #expect(edited.totals.total == 500)
        let later = try await stores.invoices.createInvoice(tenantID: id, draft: try draft(customer, number: "A-2", due: "2027-02-01"))
        _ = try await stores.invoices.issue(tenantID: id, id: later.id)
        #expect(try await stores.invoices.invoices(tenantID: id, filter: InvoiceListFilter(status: .issued), limit: 10, beforeID: nil)
                    .map(\.number) == ["A-2"])
        #expect(try await stores.invoices.invoices(tenantID: id, filter: InvoiceListFilter(customerID: customer), limit: 10, beforeID: nil)
                    .map(\.number) == ["A-2", "A-1"])
        #expect(try await stores.invoices.invoices(tenantID: id, filter: InvoiceListFilter(dueBefore: CalendarDate(year: 2027, month: 1, day: 1)),
                                                   limit: 10, beforeID: nil).map(\.number) == ["A-1"])

        let note = try await stores.invoices.createCreditNote(tenantID: id, invoiceID: later.id) { invoice in
            try CreditNoteDraft.validate(CreateCreditNoteRequest(number: "CN-1", amount: 50, reason: "damaged"), for: invoice,
                                         today: CalendarDate(year: 2026, month: 12, day: 3))
        }
        #expect(try await stores.invoices.creditNote(tenantID: id, id: note.id)?.note.number == "CN-1")
        #expect(try await stores.invoices.creditNotes(tenantID: id, invoiceID: later.id).map(\.number) == ["CN-1"])
        #expect(try await stores.invoices.setDeliveryStatus(tenantID: id, invoiceID: later.id, status: .queued).deliveryStatus == .queued)
    }

    @Test func theTenantIsToldOfACustomersMessagesOncePerWindow() async throws {
        let acme = try await BillingFixture(stores: stores)
        let id = acme.tenant.id
        var portal = try await stores.tenants.portalSettings(tenantID: id)
        portal.allowMessages = true
        _ = try await stores.tenants.updatePortalSettings(tenantID: id, portal)
        _ = try await stores.tenants.updateNotificationSettings(
            tenantID: id, TenantNotificationSettings(recipients: ["ops@acme.example"], events: [.portalMessageReceived], windowMinutes: 60))
        let other = try await stores.customers.createCustomer(tenantID: id, name: "Other", email: "o@example.com", preferences: .init())
        for (customer, text) in [(acme.customer.id, "Hello"), (acme.customer.id, "Hello again"), (other.id, "Hi")] {
            _ = try await stores.salesOrders.addCustomerMessage(tenantID: id, customerID: customer, text: text, quota: MessageQuota())
        }
        let told = try await temp.jobs.jobs(state: nil, queue: nil, kind: BillingJob.notifyTenant.name, limit: 10, beforeID: nil)
        #expect(told.count == 2, "one per customer within the window")
    }
}
