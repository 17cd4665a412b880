import Billing
import BillingFixtures
import BillingStore
import BillportCore
import Foundation
import Queue
import Relational
import SQLite
import TestSupport
import Testing

/// The portal's reads (one page, the balances from open items, the credited invoices) give what
/// the old answer computed over every invoice of the customer: `CustomerBalance.of` and the
/// buyer-visible list, on data with every case a statement has to get right.
@Suite struct PortalQueryTests {
    let temp: BillingTestDatabase
    var stores: BillingStores { temp.stores }
    let today = CalendarDate(year: 2026, month: 12, day: 20)

    init() throws {
        temp = try BillingTestDatabase()
    }

    /// One invoice row as a test writes it: the columns the statement reads.
    struct InvoiceRow {
        var number: String, currency = "EUR", due = "2026-12-01", total: Int64 = 10_000, paid: Int64 = 0, credited: Int64 = 0
        var status = "issued", type = "AR", issued = true
    }

    /// Every case a statement distinguishes, on 2026-12-20: each aging bucket at both of its
    /// edges, partial payments, credit notes (part and whole), three currencies, overpaid, paid,
    /// cancelled after and before issue, AP bills and drafts.
    static let rows: [InvoiceRow] = [
        InvoiceRow(number: "FUTURE", due: "2027-01-15"), InvoiceRow(number: "DUE-TODAY", due: "2026-12-20", paid: 2_500),
        InvoiceRow(number: "LATE-1", due: "2026-12-19", credited: 1_000), InvoiceRow(number: "LATE-30", due: "2026-11-20", paid: 100, credited: 200),
        InvoiceRow(number: "LATE-31", due: "2026-11-19"), InvoiceRow(number: "LATE-60", due: "2026-10-21", total: 7_777),
        InvoiceRow(number: "LATE-61", due: "2026-10-20"), InvoiceRow(number: "LATE-90", due: "2026-09-21", paid: 9_999),
        InvoiceRow(number: "LATE-91", due: "2026-09-20"), InvoiceRow(number: "ANCIENT", due: "2019-02-28", total: 123_456, paid: 23_456),
        InvoiceRow(number: "USD-LATE", currency: "USD", due: "2026-11-25", total: 50_000, paid: 10_000),
        InvoiceRow(number: "USD-NOW", currency: "USD", due: "2026-12-31", total: 5_000, credited: 5_000),
        InvoiceRow(number: "JPY-LATE", currency: "JPY", due: "2026-08-01", total: 4_200),
        InvoiceRow(number: "OVERPAID", due: "2026-10-01", paid: 12_000, status: "paid"),
        InvoiceRow(number: "OVERPAID-OPEN", due: "2026-10-01", paid: 11_000, credited: 500),
        InvoiceRow(number: "PAID", due: "2026-09-01", paid: 10_000, status: "paid"),
        InvoiceRow(number: "CANCELLED", due: "2026-09-01", paid: 3_000, credited: 1_000, status: "cancelled"),
        InvoiceRow(number: "CANCELLED-DRAFT", due: "2026-09-01", status: "cancelled", issued: false),
        InvoiceRow(number: "AP-BILL", due: "2026-09-01", type: "AP"), InvoiceRow(number: "DRAFT", due: "2026-09-01", status: "draft", issued: false),
        InvoiceRow(number: "CREDITED-PAID", due: "2026-06-01", paid: 8_000, credited: 2_000, status: "paid"),
    ]

    func insert(_ rows: [InvoiceRow], tenantID: Int64, customerID: Int64, prefix: String = "") async throws {
        try await temp.database.write { db in
            for row in rows {
                try db.execute("""
                    INSERT INTO invoices (tenant_id, customer_id, public_id, type, number, status, currency, issue_date, due_date,
                                          subtotal, tax_total, total, amount_paid, amount_credited, created_at, issued_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, '2019-01-01', ?, ?, 0, ?, ?, ?, 0, ?)
                    """, tenantID, customerID, "inv_\(prefix)\(row.number)", row.type, prefix + row.number, row.status, row.currency,
                    row.due, row.total, row.total, row.paid, row.credited, row.issued ? Int64(1) : nil)
            }
        }
    }

    /// What the portal used to load: every buyer-visible invoice of the customer, newest first.
    func fullLoad(tenantID: Int64, customerID: Int64) async throws -> [Invoice] {
        try await stores.invoices.invoices(tenantID: tenantID, limit: 10_000, beforeID: nil)
            .filter { $0.customerID == customerID && $0.isBuyerVisible }
    }

    /// A customer with every case, another customer and another tenant with invoices of their own.
    func fixture() async throws -> BillingFixture {
        let acme = try await BillingFixture(stores: stores)
        try await insert(Self.rows, tenantID: acme.tenant.id, customerID: acme.customer.id)
        let neighbour = try await stores.customers.createCustomer(tenantID: acme.tenant.id, name: "N", email: "n@example.com", preferences: .init())
        try await insert(Self.rows, tenantID: acme.tenant.id, customerID: neighbour.id, prefix: "N-")
        let other = try await stores.tenants.createTenant(slug: "other", name: "Other")
        let stranger = try await stores.customers.createCustomer(tenantID: other.id, name: "S", email: "s@example.com", preferences: .init())
        try await insert(Self.rows, tenantID: other.id, customerID: stranger.id, prefix: "O-")
        // The same customer id under another tenant must never count: forge one.
        try await insert([InvoiceRow(number: "FORGED", due: "2026-12-01")], tenantID: other.id, customerID: acme.customer.id, prefix: "F-")
        return acme
    }

    @Test func balancesFromOpenItemsEqualTheStatementOverEveryInvoice() async throws {
        let acme = try await fixture()
        let all = try await fullLoad(tenantID: acme.tenant.id, customerID: acme.customer.id)
        let expected = try CustomerBalance.of(all, today: today)
        #expect(expected.map(\.currency) == ["EUR", "JPY", "USD"])
        #expect([expected[0].current, expected[0].days1to30, expected[0].days31to60, expected[0].days61to90, expected[0].over90]
                    .allSatisfy { $0 > 0 })
        let balances = try await stores.invoices.customerBalances(tenantID: acme.tenant.id, customerID: acme.customer.id, today: today)
        #expect(balances == expected)
        // Each later day moves items between buckets: the SQL edges follow the rule on every one.
        for offset in [1, 29, 30, 31, 60, 61, 90, 91, 400] {
            let day = CalendarDate(daysSinceEpoch: today.daysSinceEpoch + offset)
            let later = try await stores.invoices.customerBalances(tenantID: acme.tenant.id, customerID: acme.customer.id, today: day)
            #expect(later == (try CustomerBalance.of(all, today: day)), "on \(day)")
        }
    }

    /// The balances of `acme`'s customer equal the reference rule over the full load on `today`.
    func expectBalancesAgree(_ acme: BillingFixture, _ comment: Comment, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let expected = try CustomerBalance.of(try await fullLoad(tenantID: acme.tenant.id, customerID: acme.customer.id), today: today)
        let balances = try await stores.invoices.customerBalances(tenantID: acme.tenant.id, customerID: acme.customer.id, today: today)
        #expect(balances == expected, comment, sourceLocation: sourceLocation)
        let leftovers = try await temp.database.read { db in
            try db.queryOne("SELECT count(*) FROM customer_open_items WHERE items <= 0 OR amount_due <= 0") { $0.int(0) }
        }
        #expect(leftovers == 0, comment, sourceLocation: sourceLocation)
    }

    @Test func balancesFollowEveryChangeToAnInvoiceInTheSameTransaction() async throws {
        let acme = try await fixture()
        let changes = [
            "UPDATE invoices SET amount_paid = total, status = 'paid' WHERE number = 'LATE-31'",
            "UPDATE invoices SET amount_paid = amount_paid + 1234 WHERE number = 'ANCIENT'",
            "UPDATE invoices SET amount_credited = total WHERE number = 'LATE-61'",
            "UPDATE invoices SET status = 'cancelled' WHERE number = 'JPY-LATE'",
            "UPDATE invoices SET status = 'issued', issued_at = 5 WHERE number = 'DRAFT'",
            "UPDATE invoices SET type = 'AR' WHERE number = 'AP-BILL'",
            "UPDATE invoices SET type = 'AP' WHERE number = 'FUTURE'",
            "UPDATE invoices SET due_date = '2026-12-10', currency = 'USD' WHERE number = 'LATE-1'",
            "UPDATE invoices SET amount_paid = 0, status = 'issued' WHERE number = 'PAID'",
            "UPDATE invoices SET customer_id = (SELECT id FROM customers WHERE name = 'N') WHERE number = 'USD-LATE'",
            "DELETE FROM invoices WHERE number = 'LATE-91'",
        ]
        for change in changes {
            try await temp.database.write { db in try db.execute(change) }
            try await expectBalancesAgree(acme, "after \(change)")
        }
        // Through the stores: a credit note, issuing, cancelling.
        let late90 = try #require(try await fullLoad(tenantID: acme.tenant.id, customerID: acme.customer.id).first { $0.number == "LATE-30" })
        _ = try await credit(acme.tenant.id, late90.id, number: "CN-1", amount: 300)
        try await expectBalancesAgree(acme, "after a credit note")
        _ = try await stores.invoices.issue(tenantID: acme.tenant.id, id: acme.invoice.id)
        try await expectBalancesAgree(acme, "after issuing")
        _ = try await stores.invoices.cancel(tenantID: acme.tenant.id, id: late90.id)
        try await expectBalancesAgree(acme, "after cancelling")
    }

    @Test func sumsBeyondInt64NameTheCurrencyAndComeBackWhenPaid() async throws {
        let acme = try await BillingFixture(stores: stores)
        let huge: Int64 = 5_000_000_000_000_000_000
        // Two due dates: each stored sum fits, their total does not; then two on one date: the stored sum itself does not.
        try await insert([InvoiceRow(number: "H-1", due: "2026-12-01", total: huge), InvoiceRow(number: "H-2", due: "2026-12-02", total: huge)],
                         tenantID: acme.tenant.id, customerID: acme.customer.id)
        await #expect(throws: MoneyOverflow("the amount owed in EUR")) {
            try await stores.invoices.customerBalances(tenantID: acme.tenant.id, customerID: acme.customer.id, today: today)
        }
        try await insert([InvoiceRow(number: "H-3", due: "2026-12-01", total: huge)], tenantID: acme.tenant.id, customerID: acme.customer.id)
        await #expect(throws: MoneyOverflow("the amount owed in EUR")) {
            try await stores.invoices.customerBalances(tenantID: acme.tenant.id, customerID: acme.customer.id, today: today)
        }
        try await temp.database.write { db in try db.execute("UPDATE invoices SET status = 'paid', amount_paid = total WHERE number IN ('H-2', 'H-3')") }
        try await expectBalancesAgree(acme, "once paid back under Int64")
        #expect(try await stores.invoices.customerBalances(tenantID: acme.tenant.id, customerID: acme.customer.id, today: today)
                    .first?.outstanding == huge)
    }

    @Test func theMigrationCountsTheInvoicesThatAlreadyExist() async throws {
        let released = BillingSchema.migrations.filter { $0.id != "portal.012_portal_indexes" }
        let old = try TemporaryDatabase(migrations: QueueSchema.migrations + released)
        let oldStores = BillingStores.sqlite(jobs: SQLiteJobStore(database: old.database), clock: SystemClock())
        let acme = try await BillingFixture(stores: oldStores)
        try await old.database.write { db in
            for row in Self.rows {
                try db.execute("""
                    INSERT INTO invoices (tenant_id, customer_id, public_id, type, number, status, currency, issue_date, due_date,
                                          subtotal, tax_total, total, amount_paid, amount_credited, created_at, issued_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, '2019-01-01', ?, ?, 0, ?, ?, ?, 0, ?)
                    """, acme.tenant.id, acme.customer.id, "inv_\(row.number)", row.type, row.number, row.status, row.currency,
                    row.due, row.total, row.total, row.paid, row.credited, row.issued ? Int64(1) : nil)
            }
        }
        _ = try Migrator.migrate(old.database, migrations: QueueSchema.migrations + BillingSchema.migrations)
        let all = try await oldStores.invoices.invoices(tenantID: acme.tenant.id, limit: 100, beforeID: nil).filter(\.isBuyerVisible)
        #expect(try await oldStores.invoices.customerBalances(tenantID: acme.tenant.id, customerID: acme.customer.id, today: today)
                    == (try CustomerBalance.of(all, today: today)))
    }

    @Test func pagesByCursorAndByOffsetListWhatTheFullLoadListed() async throws {
        let acme = try await fixture()
        let all = try await fullLoad(tenantID: acme.tenant.id, customerID: acme.customer.id)
        #expect(all.count == 18) // the draft, the AP bill and the never-issued cancellation are not the buyer's
        var byCursor: [InvoiceSummary] = [], byOffset: [InvoiceSummary] = []
        var cursor: String?
        repeat {
            let page = try #require(try await stores.invoices.portalInvoicePage(tenantID: acme.tenant.id, customerID: acme.customer.id,
                                                                                limit: 4, offset: 0, before: cursor))
            byCursor += page.invoices
            cursor = page.hasMore ? page.invoices.last?.publicID : nil
        } while cursor != nil
        while let page = try await stores.invoices.portalInvoicePage(tenantID: acme.tenant.id, customerID: acme.customer.id,
                                                                     limit: 4, offset: byOffset.count, before: nil),
              !page.invoices.isEmpty {
            byOffset += page.invoices
            if !page.hasMore { break }
        }
        let expected = all.map { invoice in
            InvoiceSummary(publicID: invoice.publicID, number: invoice.number, status: invoice.status, currency: invoice.currency,
                           issueDate: invoice.issueDate, dueDate: invoice.dueDate, total: invoice.totals.total,
                           amountPaid: invoice.amountPaid, amountCredited: invoice.amountCredited)
        }
        #expect(byCursor == expected)
        #expect(byOffset == expected)
        #expect(byCursor.map(\.amountDue) == all.map(\.amountDue))
        #expect(byCursor.map(\.amountOverpaid) == all.map(\.amountOverpaid))
        #expect(byCursor.map(\.isPayable) == all.map(\.isPayable))
    }

    @Test func theNextPageByCursorStaysPutWhenNewInvoicesArrive() async throws {
        let acme = try await fixture()
        let first = try #require(try await stores.invoices.portalInvoicePage(tenantID: acme.tenant.id, customerID: acme.customer.id,
                                                                             limit: 5, offset: 0, before: nil))
        let cursor = try #require(first.invoices.last?.publicID)
        let second = try await stores.invoices.portalInvoicePage(tenantID: acme.tenant.id, customerID: acme.customer.id,
                                                                 limit: 5, offset: 0, before: cursor)
        try await insert([InvoiceRow(number: "NEWEST")], tenantID: acme.tenant.id, customerID: acme.customer.id)
        #expect(try await stores.invoices.portalInvoicePage(tenantID: acme.tenant.id, customerID: acme.customer.id,
                                                            limit: 5, offset: 0, before: cursor) == second)
        // Another customer's invoice, or one its buyer may not see, is no cursor.
        for foreign in ["inv_N-LATE-1", "inv_DRAFT", "inv_AP-BILL", "inv_F-FORGED", "inv_nothing"] {
            #expect(try await stores.invoices.portalInvoicePage(tenantID: acme.tenant.id, customerID: acme.customer.id,
                                                                limit: 5, offset: 0, before: foreign) == nil)
        }
    }

    /// A credit note of one untaxed line of `amount` on invoice `invoiceID`.
    func credit(_ tenantID: Int64, _ invoiceID: Int64, number: String, amount: Int64) async throws -> CreditNote {
        let request = CreateCreditNoteRequest(number: number, amount: nil, reason: nil, issueDate: "2026-12-01",
                                              lines: [.init(description: "Returned", quantity: 1, unitPrice: amount, taxRate: 0)])
        return try await stores.invoices.createCreditNote(tenantID: tenantID, invoiceID: invoiceID) { invoice in
            try CreditNoteDraft.validate(request, for: invoice, today: CalendarDate(year: 2026, month: 12, day: 3))
        }
    }

    @Test func portalCreditNotesAreThoseOfTheBuyersVisibleInvoicesNewestFirstUpToTheLimit() async throws {
        let acme = try await fixture()
        let visible = try await fullLoad(tenantID: acme.tenant.id, customerID: acme.customer.id)
            .filter { $0.status == .issued && $0.totals.total - $0.amountCredited >= 10 }
        #expect(visible.count >= 3)
        var expected: [String] = []
        for (index, invoice) in visible.prefix(3).enumerated() {
            _ = try await credit(acme.tenant.id, invoice.id, number: "CN-\(index)", amount: 10)
            expected.insert("CN-\(index)", at: 0)
        }
        // The neighbour's credit note is not this buyer's.
        let neighbours = try await stores.invoices.invoices(tenantID: acme.tenant.id, limit: 10_000, beforeID: nil)
            .first { $0.customerID != acme.customer.id && $0.isBuyerVisible && $0.status == .issued && $0.totals.total - $0.amountCredited >= 10 }
        _ = try await credit(acme.tenant.id, try #require(neighbours).id, number: "CN-N", amount: 10)

        let notes = try await stores.invoices.portalCreditNotes(tenantID: acme.tenant.id, customerID: acme.customer.id, limit: 100)
        #expect(notes.map(\.number) == expected)
        #expect(notes.allSatisfy { $0.issueDate.description == "2026-12-01" && $0.amount == 10 && $0.hasDocument })
        let two = try await stores.invoices.portalCreditNotes(tenantID: acme.tenant.id, customerID: acme.customer.id, limit: 2)
        #expect(two.map(\.number) == Array(expected.prefix(2)))
        let first = try #require(notes.first)
        #expect(try await stores.invoices.portalCreditNote(tenantID: acme.tenant.id, customerID: acme.customer.id, publicID: first.publicID)?.note.number
                    == first.number)
        let neighbourNote = try await stores.invoices.portalCreditNotes(tenantID: acme.tenant.id, customerID: try #require(neighbours).customerID, limit: 1)
        #expect(try await stores.invoices.portalCreditNote(tenantID: acme.tenant.id, customerID: acme.customer.id,
                                                           publicID: try #require(neighbourNote.first).publicID) == nil)
    }
}
