import BillportCore
import Foundation
import Billing
import BillingFixtures
import BillingStore
import Queue
import TestSupport
import Testing

@Suite struct ReminderRuleTests {
    let due = CalendarDate(year: 2026, month: 12, day: 1)

    @Test func remindsAtEachOffsetOnce() {
        let offsets = [1, 7, 14]
        #expect(ReminderRule.offsetDue(dueDate: due, today: due, offsets: offsets, sent: []) == nil)
        #expect(ReminderRule.offsetDue(dueDate: due, today: due.adding(days: 1), offsets: offsets, sent: []) == 1)
        #expect(ReminderRule.offsetDue(dueDate: due, today: due.adding(days: 3), offsets: offsets, sent: [1]) == nil)
        #expect(ReminderRule.offsetDue(dueDate: due, today: due.adding(days: 7), offsets: offsets, sent: [1]) == 7)
        #expect(ReminderRule.offsetDue(dueDate: due, today: due.adding(days: 40), offsets: offsets, sent: [1, 7, 14]) == nil)
    }

    @Test func afterDowntimeOnlyTheLatestOffsetIsSentAndEarlierOnesNeverLater() {
        let offsets = [1, 7, 14]
        #expect(ReminderRule.offsetDue(dueDate: due, today: due.adding(days: 9), offsets: offsets, sent: []) == 7)
        #expect(ReminderRule.offsetDue(dueDate: due, today: due.adding(days: 10), offsets: offsets, sent: [7]) == nil)
    }
}

@Suite struct OverdueReminderTests {
    func setUp(today: String) throws -> (BillingStores, any JobStore, ManualClock, BillingTestDatabase) {
        let clock = ManualClock(ISO8601.parse(today + "T06:00:00Z")!)
        let temp = try BillingTestDatabase(clock: clock)
        return (temp.stores, temp.jobs, clock, temp)
    }

    func invoice(_ stores: BillingStores, _ fixture: BillingFixture, number: String, due: String, issue: Bool = true) async throws -> Invoice {
        let request = try JSONDecoder().decode(CreateInvoiceRequest.self, from: Data("""
            {"customerId": \(fixture.customer.id), "number": "\(number)", "currency": "EUR", "issueDate": "2026-11-01", "dueDate": "\(due)",
             "lines": [{"description": "x", "quantity": 1, "unitPrice": 100}]}
            """.utf8))
        let draft = try await stores.invoices.createInvoice(tenantID: fixture.tenant.id, draft: try InvoiceDraft.validate(request))
        return issue ? try await stores.invoices.issue(tenantID: fixture.tenant.id, id: draft.id) : draft
    }

    func reminders(_ jobs: any JobStore) async throws -> [String] {
        try await jobs.jobs(state: nil, queue: nil, kind: "email.send", limit: 100, beforeID: nil).compactMap(\.uniqueKey).sorted()
    }

    @Test func firesOncePerOffsetNeverForDraftsPaidOrCancelledAndCatchesUpOnce() async throws {
        let (stores, jobs, clock, temp) = try setUp(today: "2026-12-02")
        let fixture = try await BillingFixture(stores: stores)  // its invoice stays a draft
        let late = try await invoice(stores, fixture, number: "LATE", due: "2026-12-01")
        let paid = try await invoice(stores, fixture, number: "PAID", due: "2026-12-01")
        let cancelled = try await invoice(stores, fixture, number: "CANCELLED", due: "2026-12-01")
        _ = try await invoice(stores, fixture, number: "DRAFT", due: "2026-11-01", issue: false)
        _ = try await invoice(stores, fixture, number: "NOT-YET", due: "2026-12-02")
        _ = try await stores.invoices.cancel(tenantID: fixture.tenant.id, id: cancelled.id)
        try await temp.database.write { db in try db.execute("UPDATE invoices SET status = 'paid', amount_paid = total WHERE id = ?", paid.id) }
        let offsets = [1, 7, 14]

        #expect(try await stores.emails.enqueueOverdueReminders(offsets: offsets) == 1)
        #expect(try await stores.emails.enqueueOverdueReminders(offsets: offsets) == 0) // a double run
        #expect(try await reminders(jobs) == ["reminder:\(late.id):1"])

        // Down from day 2 to day 16: one catch-up reminder (14), not three.
        clock.advance(by: .seconds(14 * 86_400))
        #expect(try await stores.emails.enqueueOverdueReminders(offsets: offsets) == 2) // LATE and NOT-YET (due 12-02), both at 14
        #expect(try await stores.emails.enqueueOverdueReminders(offsets: offsets) == 0)
        let keys = try await reminders(jobs)
        #expect(keys.contains("reminder:\(late.id):14") && !keys.contains("reminder:\(late.id):7"))
        #expect(keys.count == 3)
        let payload = try #require(try await jobs.jobs(state: nil, queue: nil, kind: "email.send", limit: 1, beforeID: nil).first)
        #expect(payload.queue == "mail")
        #expect(payload.payload.contains("\"category\":\"reminder\""))
    }
}
