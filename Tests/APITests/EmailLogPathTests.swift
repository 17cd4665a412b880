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

/// The email log a tenant reads names no file of the server.
@Suite struct EmailLogPathTests {
    @Test func theEmailLogOfAnOutboxDeliveryShowsTenantsNoServerPath() async throws {
        let h = try APIHarness()
        let outbox = TemporaryDirectory()
        var handlers = JobHandlers()
        let pdfs = InvoicePDFService(store: h.stores.documents, renderer: StubRenderer())
        handlers.registerEmail(stores: h.stores, pdfs: pdfs, sender: MailSender(transport: OutboxTransport(directory: outbox.file("outbox"))),
                               settings: EmailSettings(from: MailAddress("billing@billport.example"), publicBaseURL: h.base,
                                                       unsubscribeTokens: UnsubscribeTokens(key: Array(repeating: 3, count: 32)),
                                                       unsubscribeMailto: nil))
        let pool = WorkerPool(store: h.jobs, handlers: handlers, configuration: .init(queues: ["mail": 1, "default": 1]), logger: .disabled)
        let shutdown = ShutdownSignal()
        let workers = Task { try await pool.run(until: shutdown) }

        let acme = try await h.tenant("acme")
        let id = try await h.invoice(acme)
        let sent = try await h.send("POST", "/api/invoices/\(id)/send", token: acme.token, json: ["recipients": ["ap@buyer.example"]])
        #expect(sent.status == 202)
        let job = try #require(sent.json["jobId"] as? Int)
        try await eventually("the email job to finish") { try await h.jobs.job(id: Int64(job))?.state == .done }
        #expect(try FileManager.default.contentsOfDirectory(atPath: outbox.file("outbox")).contains { $0.hasSuffix(".eml") })

        let log = try await h.send("GET", "/api/invoices/\(id)/emails", token: acme.token)
        #expect(log.status == 200)
        let entries = try #require(log.json["data"] as? [[String: Any]])
        #expect(entries.count == 1)
        #expect(entries.first?["status"] as? String == "sent")
        #expect(entries.first?["detail"] as? String == "written to the outbox")
        #expect(!log.text.contains(outbox.path), "the outbox path leaked: \(log.text)")
        for value in entries.flatMap(\.values).compactMap({ $0 as? String }) {
            #expect(!value.hasPrefix("/"), "a server path in the email log: \(value)")
        }
        shutdown.trigger()
        try await workers.value
        await h.stop()
    }

    @Test func anOutboxFailureIsLoggedForTenantsWithoutItsFolder() {
        let error = MailError.outbox(path: "/srv/billport/data/outbox/x.eml", reason: "No space left on device")
        #expect(!error.logDetail.contains("/"))
        #expect(MailReceipt(messageID: "<a@b>", path: "/srv/billport/data/outbox/x.eml").logDetail == "written to the outbox")
        #expect(MailReceipt(messageID: "<a@b>", reply: "250 2.0.0 Ok").logDetail == "250 2.0.0 Ok")
    }
}
