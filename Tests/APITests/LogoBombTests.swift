import BillportCore
import Documents
import Foundation
import Synchronization
import Testing
import TestSupport

/// A decompression-bomb logo (security review, finding 7): refused at upload by its header,
/// stored small when accepted, left out of PDFs when an old database holds one, and PDF renders
/// bounded, off the request threads and shared between concurrent requests.
@Suite struct LogoBombTests {
    static let renderer = Result { try PDFInvoiceRenderer() }

    @Test func aDecompressionBombLogoIsRefusedAtUploadAndTheBrandingStaysAsItWas() async throws {
        let h = try APIHarness()
        let acme = try await h.tenant("acme")
        let small = TestPNG.zeros(width: 40, height: 20)
        #expect(try await h.send("PUT", "/api/settings/logo", token: acme.token, bytes: small, headers: ["Content-Type": "image/png"]).status == 204)
        let acmeID = try #require(try await h.stores.tenants.tenant(slug: "acme")).id
        let before = try await h.stores.tenants.branding(tenantID: acmeID).logo

        let bomb = TestPNG.zeros(width: 10_000, height: 4_000)
        #expect(bomb.count < 160_000)
        // Refused from the header's size, before a pixel is inflated (the message names the size).
        let reply = try await h.send("PUT", "/api/settings/logo", token: acme.token, bytes: bomb, headers: ["Content-Type": "image/png"])
        #expect(reply.status == 422)
        #expect(reply.errorCode == "invalid_logo")
        #expect(reply.errorField == "logo")
        #expect((reply.json["error"] as? [String: Any])?["message"] as? String == "the logo is 10000×4000 pixels; at most 4000000 pixels are accepted")
        #expect(try await h.stores.tenants.branding(tenantID: acmeID).logo == before)
        await h.stop()
    }

    @Test func aCorruptLogoIsRefusedNamingTheProblem() async throws {
        let h = try APIHarness()
        let acme = try await h.tenant("acme")
        var cut = TestPNG.zeros(width: 300, height: 100)
        cut.removeLast(30)
        let reply = try await h.send("PUT", "/api/settings/logo", token: acme.token, bytes: cut, headers: ["Content-Type": "image/png"])
        #expect(reply.status == 422)
        #expect(reply.errorCode == "invalid_logo")
        #expect(reply.text.contains("truncated PNG"))
        #expect(try await h.send("GET", "/api/settings/branding", token: acme.token).json["hasLogo"] as? Bool == false)
        await h.stop()
    }

    @Test func aLargeLogoIsStoredScaledDownToWhatThePageShows() async throws {
        let h = try APIHarness(renderer: try Self.renderer.get())
        let acme = try await h.tenant("acme")
        let upload = TestPNG.zeros(width: 3_000, height: 1_000, colorType: 2)
        #expect(try await h.send("PUT", "/api/settings/logo", token: acme.token, bytes: upload, headers: ["Content-Type": "image/png"]).status == 204)
        let acmeID = try #require(try await h.stores.tenants.tenant(slug: "acme")).id
        let stored = try #require(try await h.stores.tenants.branding(tenantID: acmeID).logo)
        #expect(Array(stored[16..<24]) == [0, 0, 0x02, 0x71, 0, 0, 0, 0xD0])   // IHDR: 625×208

        let invoice = try await h.invoice(acme)
        let pdf = try await h.send("GET", "/api/invoices/\(invoice)/pdf", token: acme.token)
        #expect(pdf.status == 200)
        #expect(try Self.embeddedImageSizes(pdf.body) == ["625 208"])
        await h.stop()
    }

    @Test func aBombLogoAlreadyInTheDatabaseIsLeftOutAndEveryTenantsPDFComesQuickly() async throws {
        let logs = InMemoryLogHandler()
        let renderer = try PDFInvoiceRenderer(logger: logs.logger())
        let h = try APIHarness(renderer: renderer)
        let acme = try await h.tenant("acme"), other = try await h.tenant("other")
        let acmeID = try #require(try await h.stores.tenants.tenant(slug: "acme")).id
        // The state of a database from before uploads were checked.
        try await h.temp.database.write { db in
            try db.execute("UPDATE tenants SET logo = ? WHERE id = ?", TestPNG.zeros(width: 10_000, height: 4_000), acmeID)
        }
        #expect(try await h.send("PUT", "/api/settings/logo", token: other.token, bytes: TestPNG.zeros(width: 60, height: 30, colorType: 2),
                                 headers: ["Content-Type": "image/png"]).status == 204)
        let acmeInvoice = try await h.invoice(acme), otherInvoice = try await h.invoice(other)

        let started = ContinuousClock.now
        let acmePDF = try await h.send("GET", "/api/invoices/\(acmeInvoice)/pdf", token: acme.token)
        let otherPDF = try await h.send("GET", "/api/invoices/\(otherInvoice)/pdf", token: other.token)
        // Decoding the bomb took about a minute; a loaded debug run takes up to 3–4 s for both PDFs.
        #expect(ContinuousClock.now - started < .seconds(15))
        #expect(acmePDF.status == 200)
        #expect(try Self.embeddedImageSizes(acmePDF.body).isEmpty)
        #expect(otherPDF.status == 200)
        #expect(try Self.embeddedImageSizes(otherPDF.body) == ["60 30"])
        #expect(logs.text.contains("logo left out of the PDF"))
        #expect(logs.text.contains("10000×4000"))
        // Nor does the buyer's page hand the bomb to a browser.
        let share = try await h.send("POST", "/api/invoices/\(acmeInvoice)/share", token: acme.token)
        let page = try await h.send("GET", "/invoice/\(try #require(share.json["shareToken"] as? String))")
        #expect(page.status == 200)
        #expect(!page.text.contains("<img"))
        await h.stop()
    }

    @Test func concurrentRequestsForOneInvoiceShareOneRender() async throws {
        let logs = InMemoryLogHandler()
        let gate = GatedRenderer()
        let h = try APIHarness(renderer: gate, logger: logs.logger(level: .debug))
        let acme = try await h.tenant("acme")
        let invoice = try await h.invoice(acme)
        let requests = 6
        let replies = try await withThrowingTaskGroup(of: APIHarness.Reply.self) { group in
            for _ in 0..<requests {
                group.addTask { try await h.send("GET", "/api/invoices/\(invoice)/pdf", token: acme.token) }
            }
            // Every request but the first joins the render that is held at the gate.
            try? await eventually(timeout: .seconds(5), "requests joining the render") {
                logs.all.filter { $0.message == "pdf render shared" }.count == requests - 1 || gate.calls > 1
            }
            gate.open()
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(gate.calls == 1)
        #expect(replies.allSatisfy { $0.status == 200 })
        #expect(Set(replies.map(\.body)).count == 1)
        await h.stop()
    }

    @Test func aFullRenderPoolAnswers503WhileOtherRequestsAreStillServed() async throws {
        let gate = GatedRenderer()
        let h = try APIHarness(renderer: gate, renderPool: RenderPoolSettings(concurrency: 1, queueLimit: 0))
        let acme = try await h.tenant("acme")
        let first = try await h.invoice(acme, number: "INV-1"), second = try await h.invoice(acme, number: "INV-2")
        async let held = h.send("GET", "/api/invoices/\(first)/pdf", token: acme.token)
        try await eventually("the first render to start") { gate.calls == 1 }
        let busy = try await h.send("GET", "/api/invoices/\(second)/pdf", token: acme.token)
        #expect(busy.status == 503)
        #expect(busy.errorCode == "pdf_busy")
        #expect(busy.header("Retry-After") == "1")
        #expect(try await h.send("GET", "/healthz").status == 200)
        gate.open()
        #expect(try await held.status == 200)
        #expect(try await h.send("GET", "/api/invoices/\(second)/pdf", token: acme.token).status == 200)
        await h.stop()
    }

    /// `width height` of each image XObject in a PDF (what `pdfimages -list` shows).
    static func embeddedImageSizes(_ pdf: Data) throws -> [String] {
        let text = String(decoding: pdf, as: UTF8.self)
        let pattern = try NSRegularExpression(pattern: "/Subtype /Image /Width (\\d+) /Height (\\d+)")
        return pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap { match in
            guard let width = Range(match.range(at: 1), in: text), let height = Range(match.range(at: 2), in: text) else { return nil }
            return "\(text[width]) \(text[height])"
        }
    }
}

/// A renderer that holds every render until `open()`, counting them.
final class GatedRenderer: InvoiceRenderer {
    private let state = Mutex((calls: 0, open: false))
    private let condition = NSCondition()

    var calls: Int { state.withLock { $0.calls } }

    func open() {
        condition.lock()
        state.withLock { $0.open = true }
        condition.broadcast()
        condition.unlock()
    }

    func render(_ sheet: InvoiceSheet) throws -> [UInt8] {
        state.withLock { $0.calls += 1 }
        condition.lock()
        while !state.withLock({ $0.open }) { condition.wait() }
        condition.unlock()
        return Array("%PDF-gated \(sheet.invoice.number)".utf8)
    }
}
