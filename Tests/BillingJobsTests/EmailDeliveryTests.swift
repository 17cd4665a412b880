import BillportCore
import Documents
import Foundation
import Mail
import Billing
import BillingJobs
import BillingFixtures
import BillingStore
import Queue
import TestSupport
import Testing
import Tokens
import Worker

/// `email.send` end to end: the store enqueues, a worker pool runs the handler, libcurl talks
/// to a real SMTP server process (aiosmtpd) that keeps what it receives.
final class EmailRig: Sendable {
    let temp: TemporaryDatabase
    let jobs: SQLiteJobStore
    let stores: BillingStores
    let pdfs: InvoicePDFService
    let sink: SMTPSink
    let fixture: BillingFixture
    let invoice: Invoice
    let shutdown = ShutdownSignal()
    let unsubscribe = UnsubscribeTokens(key: Array(repeating: 3, count: 32))
    private let task: Task<Void, any Error>

    init(maxAttempts: Int = 3, publicBaseURL: String = "https://pay.example.com") async throws {
        temp = try TemporaryDatabase(migrations: QueueSchema.migrations + BillingSchema.migrations)
        jobs = SQLiteJobStore(database: temp.database, configuration: .init(defaultMaxAttempts: maxAttempts))
        stores = BillingStores.sqlite(jobs: jobs, clock: SystemClock())
        pdfs = InvoicePDFService(store: stores.documents, renderer: try PDFInvoiceRenderer(fontDirectory: "/usr/share/fonts/truetype/dejavu"))
        sink = try await SMTPSink()
        fixture = try await BillingFixture(stores: stores)
        invoice = try await stores.invoices.issue(tenantID: fixture.tenant.id, id: fixture.invoice.id)
        var handlers = JobHandlers()
        handlers.registerEmail(stores: stores, pdfs: pdfs, sender: MailSender(transport: try SMTPTransport(configuration: sink.configuration())),
                               settings: EmailSettings(from: MailAddress("billing@billport.example"), publicBaseURL: publicBaseURL,
                                                       unsubscribeTokens: unsubscribe, unsubscribeMailto: "unsubscribe@billport.example"))
        let pool = WorkerPool(store: jobs, handlers: handlers, configuration: .init(queues: ["mail": 2, "default": 2]),
                              retryPolicy: .init(base: .milliseconds(20), maximum: .milliseconds(20), jitter: 0), logger: .disabled)
        let shutdown = self.shutdown
        task = Task { try await pool.run(until: shutdown) }
    }

    func send(to recipients: [String]? = nil, message: String? = nil) async throws -> Int64 {
        try await stores.emails.enqueueInvoiceEmail(tenantID: fixture.tenant.id, invoiceID: invoice.id, recipients: recipients, message: message)
    }

    func waitForJob(_ id: Int64, _ state: JobState) async throws {
        try await eventually("job \(id) to be \(state)") { try await self.jobs.job(id: id)?.state == state }
    }

    func log() async throws -> [EmailLogEntry] { try await stores.emails.emailLog(tenantID: fixture.tenant.id, invoiceID: invoice.id) }

    func stop() async throws {
        shutdown.trigger()
        try await task.value
    }
}

@Suite(.serialized) struct EmailDeliveryTests {
    @Test func theInvoiceArrivesWithItsPDFLinksAndOneClickUnsubscribe() async throws {
        let rig = try await EmailRig()
        let job = try await rig.send(message: "Thanks for your order — Grüße!")
        try await rig.waitForJob(job, .done)
        let received = try await rig.sink.waitForMessages(1)
        #expect(received[0].envelope.rcpt_tos == ["z@example.com"])
        let mail = try await ParsedMail.parse(received[0].bytes)
        #expect(mail.defects.isEmpty)
        #expect(mail.header("Subject") == "Invoice A-1 from Acme")
        #expect(mail.addresses["from"] == [.init(name: "Acme", address: "billing@billport.example")])
        #expect(mail.addresses["to"] == [.init(name: "Zoë", address: "z@example.com")])
        let token = rig.unsubscribe.token(tenantID: rig.fixture.tenant.id, customerID: rig.fixture.customer.id)
        #expect(mail.header("List-Unsubscribe") == "<https://pay.example.com/unsubscribe/\(token)?category=document>, <mailto:unsubscribe@billport.example>")
        #expect(mail.header("List-Unsubscribe-Post") == "List-Unsubscribe=One-Click")
        let text = try #require(mail.parts.first { $0.content_type == "text/plain" }?.text)
        #expect(text.contains("Thanks for your order — Grüße!"))
        #expect(text.contains("https://pay.example.com/preferences/\(token)"))
        // The per-recipient link is a live `email` link to this invoice.
        let link = try #require(text.split(separator: "\n").first { $0.contains("/invoice/") }?.split(separator: "/").last)
        let hash = try #require(SecretToken.hash(ofPresented: link))
        let view = try #require(try await rig.stores.links.publicView(tokenHash: hash))
        #expect(view.invoiceNumber == "A-1" && view.emailed)
        #expect(mail.parts.contains { $0.content_type == "text/html" })
        let pdf = try #require(mail.parts.first { $0.content_type == "application/pdf" })
        #expect(pdf.filename == "Invoice-A-1.pdf")
        let expected = try #require(try await rig.pdfs.pdf(tenantID: rig.fixture.tenant.id, invoiceID: rig.invoice.id))
        #expect(pdf.sha256 == Digest.sha256(expected.bytes).map { String(format: "%02x", $0) }.joined())
        let log = try await rig.log()
        #expect(log.map(\.status) == [.sent])
        #expect(log[0].detail?.hasPrefix("250") == true)
        #expect(try await rig.stores.invoices.invoice(tenantID: rig.fixture.tenant.id, id: rig.invoice.id)?.deliveryStatus == .sent)
        try await rig.stop()
    }

    @Test func aTurnedOffPreferenceSuppressesAtSendTime() async throws {
        let rig = try await EmailRig()
        var preferences = rig.fixture.customer.preferences
        preferences.document = false
        _ = try await rig.stores.customers.setPreferences(tenantID: rig.fixture.tenant.id, customerID: rig.fixture.customer.id, preferences)
        let job = try await rig.send()
        try await rig.waitForJob(job, .done)
        let log = try await rig.log()
        #expect(log.map(\.status) == [.suppressed])
        #expect(log[0].detail == "the customer turned off document emails")
        #expect(try rig.sink.received().isEmpty)
        try await rig.stop()
    }

    @Test func remindersGoThroughTheSameJobAndHonourTheReminderToggle() async throws {
        let rig = try await EmailRig()
        let tenant = rig.fixture.tenant.id, customer = rig.fixture.customer.id
        func remind(_ offset: Int) async throws -> Int64 {
            try await rig.jobs.enqueue(NewJob(kind: "email.send", payload: SendEmail(
                tenantId: tenant, customerId: customer, invoiceId: rig.invoice.id, category: .reminder, reminderOffset: offset), queue: "mail")).id
        }
        try await rig.waitForJob(try await remind(7), .done)
        let received = try await rig.sink.waitForMessages(1)
        let mail = try await ParsedMail.parse(received[0].bytes)
        #expect(mail.header("Subject") == "Reminder: invoice A-1 from Acme is overdue")
        #expect(mail.header("List-Unsubscribe")?.contains("category=reminder") == true)
        var preferences = rig.fixture.customer.preferences
        preferences.reminder = false
        _ = try await rig.stores.customers.setPreferences(tenantID: tenant, customerID: customer, preferences)
        try await rig.waitForJob(try await remind(14), .done)
        #expect(try await rig.log().map(\.status) == [.suppressed, .sent])
        #expect(try rig.sink.received().count == 1)
        try await rig.stop()
    }

    @Test func aPlainHTTPBaseLeavesOutOneClickButKeepsThePreferenceLink() async throws {
        let rig = try await EmailRig(publicBaseURL: "http://127.0.0.1:8080")
        try await rig.waitForJob(try await rig.send(), .done)
        let mail = try await ParsedMail.parse(try await rig.sink.waitForMessages(1)[0].bytes)
        #expect(mail.header("List-Unsubscribe") == nil && mail.header("List-Unsubscribe-Post") == nil)
        #expect(mail.parts.first { $0.content_type == "text/plain" }?.text?.contains("http://127.0.0.1:8080/preferences/") == true)
        try await rig.stop()
    }

    @Test func thePortalLinkAndMarketingGoPerCustomerAndMarketingNeedsTheOptIn() async throws {
        let rig = try await EmailRig()
        let tenant = rig.fixture.tenant.id, customer = rig.fixture.customer.id
        let portalJob = try await rig.stores.emails.enqueueCustomerEmail(tenantID: tenant, customerID: customer, category: .portal, subject: nil, message: nil)
        try await rig.waitForJob(portalJob, .done)
        let mail = try await ParsedMail.parse(try await rig.sink.waitForMessages(1)[0].bytes)
        #expect(mail.header("Subject") == "Your account with Acme")
        let text = try #require(mail.parts.first { $0.content_type == "text/plain" }?.text)
        let token = try #require(text.split(separator: "\n").first { $0.hasPrefix("https://pay.example.com/portal/") }?.split(separator: "/").last)
        let hash = try #require(SecretToken.hash(ofPresented: token))
        #expect(try await rig.stores.links.portalCustomer(tokenHash: hash)?.customerID == customer)

        // Marketing is off by default: suppressed; on after the customer opts in.
        func marketing() async throws -> Int64 {
            try await rig.stores.emails.enqueueCustomerEmail(tenantID: tenant, customerID: customer, category: .marketing, subject: "Winter offer", message: "20 % off")
        }
        try await rig.waitForJob(try await marketing(), .done)
        var preferences = rig.fixture.customer.preferences
        preferences.marketing = true
        _ = try await rig.stores.customers.setPreferences(tenantID: tenant, customerID: customer, preferences)
        try await rig.waitForJob(try await marketing(), .done)
        let all = try await rig.sink.waitForMessages(2)
        #expect(try await ParsedMail.parse(all[1].bytes).header("Subject") == "Winter offer")
        let log = try await rig.stores.emails.emailLog(tenantID: tenant, customerID: customer)
        #expect(log.map(\.category) == [.marketing, .marketing, .portal])
        #expect(log.map(\.status) == [.sent, .suppressed, .sent])
        await #expect(throws: BillingError.self) {
            _ = try await rig.stores.emails.enqueueCustomerEmail(tenantID: tenant, customerID: customer, category: .marketing, subject: nil, message: "x")
        }
        try await rig.stop()
    }

    @Test func a451IsRetriedThenSentOnce() async throws {
        let rig = try await EmailRig()
        let job = try await rig.send(to: ["tempfail-1@example.com"])
        try await rig.waitForJob(job, .done)
        #expect(try await rig.jobs.job(id: job)?.attempts == 2)
        #expect(try rig.sink.received().count == 1)
        #expect(try await rig.log().map(\.status) == [.sent])
        try await rig.stop()
    }

    @Test func a550FailsOnceAndIsNotRetried() async throws {
        let rig = try await EmailRig()
        let job = try await rig.send(to: ["reject@example.com", "ok@example.com"])
        try await rig.waitForJob(job, .done)
        #expect(try await rig.jobs.job(id: job)?.attempts == 1)
        let log = try await rig.log().sorted { $0.recipient < $1.recipient }
        #expect(log.map(\.status) == [.sent, .failed])
        #expect(log[1].detail?.contains("550") == true)
        #expect(try rig.sink.received().map(\.envelope.rcpt_tos) == [["ok@example.com"]])
        try await rig.stop()
    }

    @Test func aRetriedJobDoesNotResendWhatWasAccepted() async throws {
        // ok@ is accepted on the first attempt; tempfail-2@ needs three. ok@ must arrive once.
        let rig = try await EmailRig(maxAttempts: 5)
        let job = try await rig.send(to: ["ok@example.com", "tempfail-2@example.com"])
        try await rig.waitForJob(job, .done)
        #expect(try await rig.jobs.job(id: job)?.attempts == 3)
        let recipients = try rig.sink.received().flatMap(\.envelope.rcpt_tos).sorted()
        #expect(recipients == ["ok@example.com", "tempfail-2@example.com"])
        #expect(try await rig.log().map(\.status) == [.sent, .sent])
        try await rig.stop()
    }

    @Test func transientFailuresEndAsFailedWhenAttemptsRunOut() async throws {
        let rig = try await EmailRig(maxAttempts: 2)
        let job = try await rig.send(to: ["tempfail-5@example.com"])
        try await rig.waitForJob(job, .done)
        let log = try await rig.log()
        #expect(log.map(\.status) == [.failed])
        #expect(log[0].detail?.contains("451") == true)
        try await rig.stop()
    }
}

/// Rules of the mail to one customer: what the portal email does to the links the tenant handed
/// out before it, and that nothing reaches a customer whose personal data was erased.
@Suite struct CustomerEmailRuleTests {
    @Test func thePortalEmailKeepsEarlierLinksUnlessAskedToRevokeThem() async throws {
        let rig = try await EmailRig()
        let tenant = rig.fixture.tenant.id, customer = rig.fixture.customer.id
        let handedOut = try #require(try await rig.stores.links.createPortalToken(tenantID: tenant, customerID: customer).token)
        func emailedToken(_ index: Int) async throws -> String {
            let mail = try await ParsedMail.parse(try await rig.sink.waitForMessages(index + 1)[index].bytes)
            let text = try #require(mail.parts.first { $0.content_type == "text/plain" }?.text)
            return String(try #require(text.split(separator: "\n").first { $0.hasPrefix("https://pay.example.com/portal/") }?.split(separator: "/").last))
        }
        func works(_ token: String) async throws -> Bool {
            try await rig.stores.links.portalCustomer(tokenHash: try #require(SecretToken.hash(ofPresented: token)))?.customerID == customer
        }

        try await rig.waitForJob(try await rig.stores.emails.enqueueCustomerEmail(tenantID: tenant, customerID: customer, category: .portal,
                                                                                  subject: nil, message: nil), .done)
        let first = try await emailedToken(0)
        #expect(first != handedOut)
        let (handedOutWorks, firstWorks) = (try await works(handedOut), try await works(first))
        #expect(handedOutWorks && firstWorks)

        try await rig.waitForJob(try await rig.stores.emails.enqueueCustomerEmail(tenantID: tenant, customerID: customer, category: .portal,
                                                                                  subject: nil, message: nil, revokeExisting: true), .done)
        let second = try await emailedToken(1)
        #expect(try await works(second))
        let (handedOutStillWorks, firstStillWorks) = (try await works(handedOut), try await works(first))
        #expect(!handedOutStillWorks && !firstStillWorks)
        try await rig.stop()
    }

    @Test func anEmailQueuedBeforeTheCustomerWasErasedIsSuppressedWithoutItsAddress() async throws {
        let rig = try await EmailRig()
        let tenant = rig.fixture.tenant.id, customer = rig.fixture.customer.id
        let payload = SendEmail(tenantId: tenant, customerId: customer, invoiceId: rig.invoice.id, category: .document,
                                recipients: ["accounts@buyer.example"])
        let job = try #require(try await rig.jobs.enqueue([NewJob(BillingJob.sendEmail, payload, runAt: Date().addingTimeInterval(1))]).first?.id)
        _ = try await rig.stores.customers.eraseCustomer(tenantID: tenant, id: customer)
        try await rig.waitForJob(job, .done)
        let log = try await rig.log()
        #expect(log.map(\.status) == [.suppressed] && log.map(\.recipient) == [CustomerErasure.recipient])
        #expect(log.first?.detail == "the customer's personal data was erased")
        #expect(try rig.sink.received().isEmpty)
        try await rig.stop()
    }
}
