import BillportCore
import Documents
import Foundation
import Mail
import Billing
import BillingJobs
import Queue
import TestSupport
import Testing
import Tokens
import Worker

/// The tenant's own notification emails: settings through the API, sent through the mail
/// worker to a real SMTP server process.
final class NotificationRig: Sendable {
    let h: APIHarness
    let sink: SMTPSink
    let acme: APIHarness.Tenant
    let tenantID: Int64
    private let shutdown = ShutdownSignal()
    private let task: Task<Void, any Error>

    init(clock: any WallClock = SystemClock()) async throws {
        h = try APIHarness(clock: clock)
        sink = try await SMTPSink()
        var handlers = JobHandlers()
        handlers.registerEmail(stores: h.stores, pdfs: InvoicePDFService(store: h.stores.documents, renderer: StubRenderer()),
                               sender: MailSender(transport: try SMTPTransport(configuration: sink.configuration())),
                               settings: EmailSettings(from: MailAddress("billing@billport.example"), publicBaseURL: h.base,
                                                       unsubscribeTokens: UnsubscribeTokens(key: Array(repeating: 3, count: 32)),
                                                       unsubscribeMailto: nil))
        let pool = WorkerPool(store: h.jobs, handlers: handlers, configuration: .init(queues: ["mail": 1, "default": 1]), logger: .disabled)
        let shutdown = self.shutdown
        task = Task { try await pool.run(until: shutdown) }
        acme = try await h.tenant("acme")
        tenantID = try #require(try await h.stores.tenants.tenant(slug: "acme")).id
    }

    /// Views of `invoice` from `ips`, one a second, folded into the stats as `views.aggregate` does.
    func views(_ invoice: Int64, ips: [String]) async throws {
        let start = Date()
        try await h.stores.views.insertViews(ips.enumerated().map { index, ip in
            ViewRecord(key: UUID().uuidString, tenantID: tenantID, invoiceID: invoice, linkID: nil, source: .link, ip: ip, userAgent: nil,
                       viewedAt: start.addingTimeInterval(Double(index)))
        })
        try await h.stores.views.aggregateViews(window: .seconds(1800))
    }

    /// Waits until no notification is queued or running; how many were sent.
    func notificationsDone() async throws -> Int {
        try await eventually("the notifications to be sent") {
            try await self.h.temp.database.read { db in
                try db.queryOne("SELECT count(*) FROM jobs WHERE kind = 'notification.send' AND state NOT IN ('done', 'dead')") { $0.int(0) }
            } == 0
        }
        return try await h.temp.database.read { db in
            try db.queryOne("SELECT count(*) FROM jobs WHERE kind = 'notification.send' AND state = 'done'") { $0.int(0) } ?? -1
        }
    }

    func stop() async throws {
        shutdown.trigger()
        try await task.value
        await h.stop()
    }
}

@Suite(.serialized) struct TenantNotificationTests {
    @Test func theSettingsStartOffAndChangeOnlyTheFieldsSent() async throws {
        let h = try APIHarness()
        let acme = try await h.tenant("acme")
        let initial = try await h.send("GET", "/api/settings/notifications", token: acme.token)
        #expect(initial.status == 200)
        #expect(initial.json["recipients"] as? [String] == [])
        #expect(initial.json["events"] as? [String] == [])
        #expect(initial.json["windowMinutes"] as? Int == 60)
        #expect((initial.json["available"] as? [String])?.contains("invoice.viewed") == true)
        let set = try await h.send("PUT", "/api/settings/notifications", token: acme.token,
                                   json: ["recipients": [" owner@acme.example ", "OWNER@acme.example"], "events": ["invoice.paid", "invoice.viewed"]])
        #expect(set.status == 200)
        #expect(set.json["recipients"] as? [String] == ["owner@acme.example"])
        let patched = try await h.send("PATCH", "/api/settings/notifications", token: acme.token, json: ["windowMinutes": 15])
        #expect(patched.json["events"] as? [String] == ["invoice.paid", "invoice.viewed"])
        #expect(patched.json["recipients"] as? [String] == ["owner@acme.example"])
        #expect(patched.json["windowMinutes"] as? Int == 15)
        let readOnly = h.token("acme", perms: [])
        #expect(try await h.send("PATCH", "/api/settings/notifications", token: readOnly, json: ["windowMinutes": 5]).status == 403)
        await h.stop()
    }

    @Test func anUnknownEventABadAddressOrAnUnknownKeyIs422NamingTheField() async throws {
        let h = try APIHarness()
        let acme = try await h.tenant("acme")
        func refused(_ json: [String: Any]) async throws -> (String?, String?) {
            let reply = try await h.send("PATCH", "/api/settings/notifications", token: acme.token, json: json)
            #expect(reply.status == 422)
            return (reply.errorCode, reply.errorField)
        }
        #expect(try await refused(["events": ["invoice.paid", "invoice.exploded"]]) == ("invalid_field", "events[1]"))
        #expect(try await refused(["events": ["invoice.issued"]]) == ("invalid_field", "events[0]"))
        #expect(try await refused(["recipients": ["owner@acme.example", "not an address"]]) == ("invalid_field", "recipients[1]"))
        #expect(try await refused(["recipients": (0...10).map { "p\($0)@acme.example" }]) == ("invalid_field", "recipients"))
        #expect(try await refused(["windowMinutes": 0]) == ("invalid_field", "windowMinutes"))
        #expect(try await refused(["colour": "red"]).0 == "unknown_field")
        let null = try await h.send("PATCH", "/api/settings/notifications", token: acme.token, rawBody: #"{"events": null}"#)
        #expect(null.status == 422)
        #expect(try await h.send("GET", "/api/settings/notifications", token: acme.token).json["events"] as? [String] == [])
        await h.stop()
    }

    @Test func anOptedInViewSendsOneEmailHoweverOftenTheBuyerLooksWithinTheWindow() async throws {
        let rig = try await NotificationRig()
        let h = rig.h
        #expect(try await h.send("PUT", "/api/settings/notifications", token: rig.acme.token,
                                 json: ["recipients": ["owner@acme.example"], "events": ["invoice.viewed"]]).status == 200)
        let id = try await h.invoice(rig.acme, number: "INV-42")
        // Two addresses: two counted views, two events, one email.
        try await rig.views(id, ips: ["203.0.113.1", "203.0.113.2"])
        try await rig.views(id, ips: ["203.0.113.3"])
        #expect(try await h.recordedEvents("invoice.viewed").count == 3)
        #expect(try await rig.notificationsDone() == 1)
        let received = try await rig.sink.waitForMessages(1)
        #expect(received[0].envelope.rcpt_tos == ["owner@acme.example"])
        let mail = try await ParsedMail.parse(received[0].bytes)
        #expect(mail.header("Subject") == "Zoë Buyer opened invoice INV-42")
        // Another invoice is another subject.
        let other = try await h.invoice(rig.acme, number: "INV-43")
        try await rig.views(other, ips: ["203.0.113.1"])
        #expect(try await rig.notificationsDone() == 2)
        #expect(try await rig.sink.waitForMessages(2).count == 2)
        try await rig.stop()
    }

    @Test func onceTheWindowHasPassedTheNextViewIsToldAgain() async throws {
        let clock = ManualClock(Date())
        let rig = try await NotificationRig(clock: clock)
        let h = rig.h
        #expect(try await h.send("PUT", "/api/settings/notifications", token: rig.acme.token,
                                 json: ["recipients": ["owner@acme.example"], "events": ["invoice.viewed"], "windowMinutes": 10]).status == 200)
        let id = try await h.invoice(rig.acme, number: "INV-42")
        try await rig.views(id, ips: ["203.0.113.1"])
        // Sent before the clock jumps: a jump past a running job's lease would have it run twice.
        #expect(try await rig.notificationsDone() == 1)
        clock.advance(by: .seconds(9 * 60))
        try await rig.views(id, ips: ["203.0.113.2"])
        #expect(try await rig.notificationsDone() == 1)
        clock.advance(by: .seconds(60))
        try await rig.views(id, ips: ["203.0.113.3"])
        #expect(try await rig.notificationsDone() == 2)
        #expect(try await rig.sink.waitForMessages(2).count == 2)
        try await rig.stop()
    }

    @Test func anEventNotOptedInSendsNothing() async throws {
        let rig = try await NotificationRig()
        let h = rig.h
        #expect(try await h.send("PUT", "/api/settings/notifications", token: rig.acme.token,
                                 json: ["recipients": ["owner@acme.example"], "events": ["invoice.paid"]]).status == 200)
        let id = try await h.invoice(rig.acme)
        try await rig.views(id, ips: ["203.0.113.1"])
        #expect(try await h.recordedEvents("invoice.viewed").count == 1)
        #expect(try await rig.notificationsDone() == 0)
        #expect(try rig.sink.received().isEmpty)
        try await rig.stop()
    }

    @Test func aPortalMessageAndAFailedEmailAreWordedForPeople() async throws {
        let rig = try await NotificationRig()
        let h = rig.h
        #expect(try await h.send("PUT", "/api/settings/notifications", token: rig.acme.token,
                                 json: ["recipients": ["owner@acme.example", "books@acme.example"],
                                        "events": ["portal.message_received", "email.failed"]]).status == 200)
        _ = try await h.send("PATCH", "/api/settings/portal", token: rig.acme.token, json: ["allowMessages": true])
        let portal = try #require(try await h.send("POST", "/api/customers/\(rig.acme.customerID)/portal-token", token: rig.acme.token).json["token"] as? String)
        #expect(try await h.send("POST", "/api/portal/\(portal)/messages", json: ["message": "Can I pay in two parts?"]).status == 201)
        let id = try await h.invoice(rig.acme, number: "INV-7")
        #expect(try await h.send("POST", "/api/invoices/\(id)/send", token: rig.acme.token, json: ["recipients": ["reject@buyer.example"]]).status == 202)
        try await eventually("the failed email to be logged") { try await h.recordedEvents("email.failed").count == 1 }
        #expect(try await rig.notificationsDone() == 2)
        let subjects = try await rig.sink.waitForMessages(2).asyncMap { try await ParsedMail.parse($0.bytes).header("Subject") ?? "" }
        #expect(Set(subjects) == ["New message from Zoë Buyer", "Email to reject@buyer.example failed (invoice INV-7)"])
        let mails = try await rig.sink.received().asyncMap { try await ParsedMail.parse($0.bytes) }
        let message = try #require(mails.first { $0.header("Subject") == "New message from Zoë Buyer" })
        let text = try #require(message.parts.first { $0.content_type == "text/plain" }?.text)
        #expect(text.contains("Can I pay in two parts?"))
        #expect(!text.contains(portal))
        #expect(try rig.sink.received().allSatisfy { Set($0.envelope.rcpt_tos) == ["owner@acme.example", "books@acme.example"] })
        try await rig.stop()
    }

    @Test func aPaidInvoiceQueuesOneNotificationWithTheAmountPaid() async throws {
        let rig = try await PaymentRig()
        #expect(try await rig.api.send("PUT", "/api/settings/notifications", token: rig.tenant.token,
                                       json: ["recipients": ["owner@acme.example"], "events": ["invoice.paid"]]).status == 200)
        let invoice = try await rig.invoice(number: "INV-42")
        try await rig.payAndComplete(invoice.token)
        _ = try await rig.settled(invoice.id)
        let payloads = try await rig.api.temp.database.read { db in
            try db.query("SELECT payload FROM jobs WHERE kind = 'notification.send'") { $0.string(0) }
        }
        #expect(payloads.count == 1)
        let payload = try JSONDecoder().decode(NotifyTenant.self, from: Data((payloads.first ?? "").utf8))
        #expect(payload.subject == "INV-42 was paid (1,356.60 EUR)")
        #expect(payload.recipients == ["owner@acme.example"])
        try await rig.stop()
    }

    @Test func aPaymentIsWordedWithItsAmountInTheCurrencysMinorUnits() {
        let paid = TenantNotification.compose(.invoicePaid, .init(invoiceNumber: "INV-42", amount: Money(minorUnits: 160_752, currency: Currency(code: "EUR")!)))
        #expect(paid?.subject == "INV-42 was paid (1,607.52 EUR)")
        let yen = TenantNotification.compose(.invoicePaid, .init(invoiceNumber: "J-1", amount: Money(minorUnits: 160_752, currency: Currency(code: "JPY")!)))
        #expect(yen?.subject == "J-1 was paid (160,752 JPY)")
        #expect(TenantNotification.compose(.invoiceIssued, .init(invoiceNumber: "INV-1")) == nil)
    }
}

extension Sequence {
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var result: [T] = []
        for element in self { result.append(try await transform(element)) }
        return result
    }
}
