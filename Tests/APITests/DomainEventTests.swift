@testable import API
import BillportCore
import Documents
import Foundation
import Mail
import Billing
import BillingJobs
import Queue
import Synchronization
import TestSupport
import Testing
import Tokens
import Worker

extension APIHarness {
    /// The outbox rows of `type` (every type when nil), oldest first, each body parsed.
    func recordedEvents(_ type: String? = nil) async throws -> [[String: Any]] {
        let bodies = try await temp.database.read { db in
            try db.query("SELECT type, body FROM webhook_events ORDER BY id") { (type: $0.string(0), body: $0.string(1)) }
        }
        return bodies.filter { type == nil || $0.type == type }.map {
            ((try? JSONSerialization.jsonObject(with: Data($0.body.utf8))) as? [String: Any]) ?? ["unparsable": $0.body]
        }
    }

    /// Every outbox body as one text, to search for what must never be there.
    func recordedText() async throws -> String {
        try await temp.database.read { db in try db.query("SELECT body FROM webhook_events") { $0.string(0) } }.joined()
    }

    func recordedEventTypes() async throws -> [String] {
        try await recordedEvents().compactMap { $0["type"] as? String }
    }
}

/// The `data` of an event.
func eventData(_ event: [String: Any]?) -> [String: Any] { (event?["data"] as? [String: Any]) ?? [:] }

/// Every event type, caused through the real API (or the job's store call) and found in the
/// outbox with the object as the tenant API shows it, and never a token.
@Suite struct DomainEventTests {
    @Test func issuingAndCancellingRecordTheInvoiceAsTheAPIShowsIt() async throws {
        let h = try APIHarness()
        let acme = try await h.tenant("acme")
        let id = try await h.invoice(acme)
        let issued = try #require(try await h.recordedEvents("invoice.issued").first)
        #expect(issued["type"] as? String == "invoice.issued")
        #expect(ISO8601.parse(issued["timestamp"] as? String ?? "") != nil)
        let shown = try await h.send("GET", "/api/invoices/\(id)", token: acme.token).json
        var data = eventData(issued)
        #expect(data["status"] as? String == "issued")
        // The same representation as the API: every key the event has, the API has with the same value.
        for key in ["id", "publicId", "number", "status", "currency", "total", "amountDue", "issuedAt", "customerId"] {
            #expect("\(data[key] ?? "nil")" == "\(shown[key] ?? "missing")", "\(key)")
        }
        #expect(Set(data.keys).isSubset(of: Set(shown.keys)))

        // Issuing again is refused and records nothing.
        #expect(try await h.send("POST", "/api/invoices/\(id)/issue", token: acme.token).status == 409)
        #expect(try await h.recordedEvents("invoice.issued").count == 1)

        #expect(try await h.send("POST", "/api/invoices/\(id)/cancel", token: acme.token).status == 200)
        #expect(try await h.send("POST", "/api/invoices/\(id)/cancel", token: acme.token).status == 409)
        let cancelled = try await h.recordedEvents("invoice.cancelled")
        #expect(cancelled.count == 1)
        data = eventData(cancelled.first)
        #expect(data["status"] as? String == "cancelled")
        #expect(try await h.recordedEventTypes() == ["invoice.issued", "invoice.cancelled"])
        await h.stop()
    }

    @Test func aNewShareLinkIsOneEventWithoutItsTokenAndAskingAgainIsNone() async throws {
        let h = try APIHarness()
        let acme = try await h.tenant("acme")
        let id = try await h.invoice(acme)
        let first = try await h.send("POST", "/api/invoices/\(id)/share", token: acme.token)
        let token = try #require(first.json["shareToken"] as? String)
        #expect(try await h.send("POST", "/api/invoices/\(id)/share", token: acme.token).json["alreadyShared"] as? Bool == true)
        #expect(try await h.recordedEvents("invoice.shared").count == 1)
        let regenerated = try #require(try await h.send("POST", "/api/invoices/\(id)/share?regenerate=true", token: acme.token).json["shareToken"] as? String)
        let shared = try await h.recordedEvents("invoice.shared")
        #expect(shared.count == 2)
        #expect(eventData(shared.first)["number"] as? String == "INV-1")
        let raw = try await h.recordedText()
        #expect(!raw.contains(token) && !raw.contains(regenerated))
        #expect(!raw.contains("shareToken") && !raw.contains("shareUrl"))
        await h.stop()
    }

    @Test func aSharingThatFailsRecordsNothing() async throws {
        let h = try APIHarness()
        let acme = try await h.tenant("acme")
        let draft = try await h.invoice(acme, issue: false)
        #expect(try await h.send("POST", "/api/invoices/\(draft)/share", token: acme.token).status == 409)
        #expect(try await h.recordedEventTypes() == [])
        await h.stop()
    }

    @Test func aChangeAndItsEventCommitTogetherOrNotAtAll() async throws {
        let h = try APIHarness()
        let acme = try await h.tenant("acme")
        let draft = try await h.invoice(acme, issue: false)
        // Anything failing in the transaction after the event is written takes both back.
        try await h.database.write { db in
            try db.executeScript(db.dialect == .sqlite
                ? "CREATE TRIGGER refuse_events AFTER INSERT ON webhook_events BEGIN SELECT RAISE(ABORT, 'refused'); END"
                : """
                CREATE FUNCTION refuse_events() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused'; END $$;
                CREATE TRIGGER refuse_events AFTER INSERT ON webhook_events FOR EACH ROW EXECUTE FUNCTION refuse_events();
                """)
        }
        #expect(try await h.send("POST", "/api/invoices/\(draft)/issue", token: acme.token).status == 500)
        #expect(try await h.send("GET", "/api/invoices/\(draft)", token: acme.token).json["status"] as? String == "draft")
        #expect(try await h.recordedEventTypes() == [])
        try await h.database.write { db in
            try db.execute(db.dialect == .sqlite ? "DROP TRIGGER refuse_events" : "DROP TRIGGER refuse_events ON webhook_events")
        }
        #expect(try await h.send("POST", "/api/invoices/\(draft)/issue", token: acme.token).status == 200)
        #expect(try await h.recordedEventTypes() == ["invoice.issued"])
        await h.stop()
    }

    @Test func opensThroughTheServerAreOneEventPerCountedViewNotPerRefresh() async throws {
        let dir = TemporaryDirectory()
        let recorder = Mutex<ViewRecorder?>(nil)
        let h = try APIHarness(views: { stores in
            let made = ViewRecorder(store: stores.views, directory: dir.path, logger: .disabled)
            recorder.withLock { $0 = made }
            return made
        })
        let acme = try await h.tenant("acme")
        let id = try await h.invoice(acme)
        let token = try #require(try await h.send("POST", "/api/invoices/\(id)/share", token: acme.token).json["shareToken"] as? String)
        for _ in 0..<3 { #expect(try await h.send("GET", "/invoice/\(token)", headers: ["User-Agent": "Phone/1.0"]).status == 200) }
        await recorder.withLock { $0 }?.flush()
        try await h.stores.views.aggregateViews(window: .seconds(1800))
        let viewed = try await h.recordedEvents("invoice.viewed")
        #expect(viewed.count == 1)
        #expect(eventData(viewed.first)["invoiceNumber"] as? String == "INV-1")
        #expect(!(try await h.recordedText()).contains(token))
        await h.stop()
    }

    @Test func eachCountedViewIsOneEventWithoutTheBuyersAddress() async throws {
        let h = try APIHarness()
        let acme = try await h.tenant("acme")
        let id = try await h.invoice(acme)
        let tenantID = try #require(try await h.stores.tenants.tenant(slug: "acme")).id
        let start = Date()
        func view(_ key: String, ip: String, minutes: Double) -> ViewRecord {
            ViewRecord(key: key, tenantID: tenantID, invoiceID: id, linkID: nil, source: .link, ip: ip, userAgent: "Phone/1.0",
                       viewedAt: start.addingTimeInterval(minutes * 60))
        }
        // A refresh within the window counts once; another address counts.
        try await h.stores.views.insertViews([view("a", ip: "203.0.113.9", minutes: 0), view("b", ip: "203.0.113.9", minutes: 1),
                                              view("c", ip: "198.51.100.7", minutes: 2)])
        try await h.stores.views.aggregateViews(window: .seconds(1800))
        let viewed = try await h.recordedEvents("invoice.viewed")
        #expect(viewed.count == 2)
        let data = eventData(viewed.first)
        #expect(data["invoiceId"] as? Int == Int(id))
        #expect(data["invoiceNumber"] as? String == "INV-1")
        #expect(data["source"] as? String == "link")
        #expect(data["userAgent"] as? String == "Phone/1.0")
        #expect(data["counted"] as? Bool == true)
        #expect(data["ip"] == nil)
        let raw = try await h.recordedText()
        #expect(!raw.contains("203.0.113.9") && !raw.contains("198.51.100.7"))
        // Aggregating again finds nothing new.
        try await h.stores.views.aggregateViews(window: .seconds(1800))
        #expect(try await h.recordedEvents("invoice.viewed").count == 2)
        await h.stop()
    }

    @Test func aPortalMessageIsOneEventAndARefusedOneNone() async throws {
        let h = try APIHarness()
        let acme = try await h.tenant("acme")
        let portal = try #require(try await h.send("POST", "/api/customers/\(acme.customerID)/portal-token", token: acme.token).json["token"] as? String)
        // Messages are off until the tenant allows them: refused, nothing recorded.
        #expect(try await h.send("POST", "/api/portal/\(portal)/messages", json: ["message": "Hello?"]).status == 409)
        #expect(try await h.recordedEvents("portal.message_received").isEmpty)
        _ = try await h.send("PATCH", "/api/settings/portal", token: acme.token, json: ["allowMessages": true])
        #expect(try await h.send("POST", "/api/portal/\(portal)/messages", json: ["message": "Where is my order?"]).status == 201)
        let events = try await h.recordedEvents("portal.message_received")
        #expect(events.count == 1)
        let data = eventData(events.first)
        #expect(data["message"] as? String == "Where is my order?")
        #expect(data["customerName"] as? String == "Zoë Buyer")
        #expect(data["customerId"] as? Int == Int(acme.customerID))
        let raw = try await h.recordedText()
        #expect(!raw.contains(portal))
        await h.stop()
    }

    @Test func changedPreferencesAreOneEventAndSavingTheSameNone() async throws {
        let h = try APIHarness()
        let acme = try await h.tenant("acme")
        let tenantID = try #require(try await h.stores.tenants.tenant(slug: "acme")).id
        let tokens = UnsubscribeTokens(key: Array(repeating: 7, count: 32))
        let token = tokens.token(tenantID: tenantID, customerID: acme.customerID)
        try await h.stores.customers.registerUnsubscribeToken(tenantID: tenantID, customerID: acme.customerID, hash: UnsubscribeTokens.hash(token))
        #expect(try await h.send("PUT", "/api/preferences/\(token)", json: ["marketing": true]).status == 200)
        #expect(try await h.send("PUT", "/api/preferences/\(token)", json: ["marketing": true]).status == 200)
        let events = try await h.recordedEvents("customer.preferences_changed")
        #expect(events.count == 1)
        let data = eventData(events.first)
        #expect(data["id"] as? Int == Int(acme.customerID))
        #expect(data["preferences"] as? [String: Bool] == ["document": true, "reminder": true, "marketing": true])
        let raw = try await h.recordedText()
        #expect(!raw.contains(token))
        await h.stop()
    }

    @Test func anExpiredPortalTokenIsOneEventWithoutTheToken() async throws {
        let clock = ManualClock()
        let h = try APIHarness(clock: clock)
        let acme = try await h.tenant("acme")
        _ = try await h.send("PATCH", "/api/settings/portal", token: acme.token, json: ["tokenExpiryDays": 1])
        let portal = try #require(try await h.send("POST", "/api/customers/\(acme.customerID)/portal-token", token: acme.token).json["token"] as? String)
        #expect(try await h.stores.links.markExpiredPortalTokens() == 0)
        clock.advance(by: .seconds(86_401))
        #expect(try await h.stores.links.markExpiredPortalTokens() == 1)
        #expect(try await h.stores.links.markExpiredPortalTokens() == 0)
        let events = try await h.recordedEvents("portal_token.expired")
        #expect(events.count == 1)
        let data = eventData(events.first)
        #expect(data["customerId"] as? Int == Int(acme.customerID))
        #expect(data["status"] as? String == "expired")
        let raw = try await h.recordedText()
        #expect(!raw.contains(portal))
        await h.stop()
    }

    @Test func paymentsRecordPaidFailedAndRefundedWithTheInvoiceAndItsPayments() async throws {
        let rig = try await PaymentRig()
        let invoice = try await rig.invoice()
        let session = try await rig.payAndComplete(invoice.token)
        _ = try await rig.settled(invoice.id)
        let paid = try await rig.api.recordedEvents("invoice.paid")
        #expect(paid.count == 1)
        let data = eventData(paid.first)
        #expect(data["status"] as? String == "paid")
        #expect(data["amountPaid"] as? Int == Int(PaymentRig.total))
        #expect((data["payments"] as? [[String: Any]])?.first?["checkoutSessionId"] as? String == session)
        _ = try await rig.fake.refund(session, amount: 35_660, webhookURL: rig.webhookURL)
        _ = try await rig.settled(invoice.id)
        let refunded = try await rig.api.recordedEvents("invoice.refunded")
        #expect(refunded.count == 1)
        #expect(eventData(refunded.first)["amountPaid"] as? Int == 100_000)

        let second = try await rig.invoice(number: "INV-2")
        let pending = try #require(try await rig.pay(second.token).session)
        _ = try await rig.fake.complete(pending, webhookURL: rig.webhookURL, delayed: true)
        _ = try await rig.settled(second.id)
        _ = try await rig.fake.settleDelayed(pending, succeeded: false, webhookURL: rig.webhookURL)
        _ = try await rig.settled(second.id)
        let failed = try await rig.api.recordedEvents("invoice.payment_failed")
        #expect(failed.count == 1)
        #expect(eventData(failed.first)["number"] as? String == "INV-2")
        #expect(try await rig.api.recordedEvents("invoice.paid").count == 1)
        let raw = try await rig.api.recordedText()
        #expect(!raw.contains(invoice.token) && !raw.contains(FakeStripe.apiKey) && !raw.contains(FakeStripe.webhookSecret))
        try await rig.stop()
    }

    @Test func aRepeatedProviderEventRecordsOneEvent() async throws {
        let rig = try await PaymentRig()
        let invoice = try await rig.invoice()
        let session = try #require(try await rig.pay(invoice.token).session)
        let delivery = try await rig.fake.complete(session)
        #expect(try await rig.deliver(delivery).status == 200)
        _ = try await rig.settled(invoice.id)
        #expect(try await rig.deliver(delivery).json["duplicate"] as? Bool == true)
        _ = try await rig.settled(invoice.id)
        #expect(try await rig.api.recordedEvents("invoice.paid").count == 1)
        try await rig.stop()
    }

    @Test func emailsRecordSentSuppressedAndFailedWithTheLogLine() async throws {
        let rig = try await NotificationRig()
        let (h, acme) = (rig.h, rig.acme)
        let id = try await h.invoice(acme)
        let sent = try #require(try await h.send("POST", "/api/invoices/\(id)/send", token: acme.token, json: ["recipients": ["ap@buyer.example"]]).json["jobId"] as? Int)
        try await eventually("the email job to finish") { try await h.jobs.job(id: Int64(sent))?.state == .done }
        let sentEvents = try await h.recordedEvents("email.sent")
        #expect(sentEvents.count == 1)
        var data = eventData(sentEvents.first)
        #expect(data["recipient"] as? String == "ap@buyer.example")
        #expect(data["status"] as? String == "sent")
        #expect(data["invoiceId"] as? Int == Int(id))
        #expect(data["category"] as? String == "document")

        // The customer turned documents off: the message is suppressed.
        let tenantID = rig.tenantID
        _ = try await h.stores.customers.setPreferences(tenantID: tenantID, customerID: acme.customerID, .init(document: false))
        let suppressed = try #require(try await h.send("POST", "/api/invoices/\(id)/send", token: acme.token).json["jobId"] as? Int)
        try await eventually("the suppressed job to finish") { try await h.jobs.job(id: Int64(suppressed))?.state == .done }
        data = eventData(try await h.recordedEvents("email.suppressed").first)
        #expect(data["status"] as? String == "suppressed")
        #expect(data["detail"] as? String == "the customer turned off document emails")
        _ = try await h.stores.customers.setPreferences(tenantID: tenantID, customerID: acme.customerID, .init())

        // The server refuses the recipient for good: failed.
        let failing = try #require(try await h.send("POST", "/api/invoices/\(id)/send", token: acme.token,
                                                    json: ["recipients": ["reject@buyer.example"]]).json["jobId"] as? Int)
        try await eventually("the failing job to finish") { try await h.jobs.job(id: Int64(failing))?.state == .done }
        let failed = try await h.recordedEvents("email.failed")
        #expect(failed.count == 1)
        #expect(eventData(failed.first)["recipient"] as? String == "reject@buyer.example")
        #expect(try await h.recordedEvents("email.sent").count == 1)
        try await rig.stop()
    }
}
