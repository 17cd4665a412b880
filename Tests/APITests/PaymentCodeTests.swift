import Documents
import Foundation
import Testing
import TestSupport

/// The EPC payment code ("GiroCode") as a buyer meets it: on the invoice PDF (rendered to PNG by
/// pdftoppm) and on the buyer's page (rendered by headless Chromium), decoded by zbarimg, every
/// field compared; the amount is what is due now. And credit notes as PDFs of their own.
@Suite(.serialized) struct PaymentCodeTests {
    static let renderer = Result { try PDFInvoiceRenderer() }
    static let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first { FileManager.default.isExecutableFile(atPath: $0) }
    static var toolsPresent: Bool {
        ZBarImage.isInstalled && chromium != nil && FileManager.default.isExecutableFile(atPath: "/usr/bin/pdftoppm")
    }

    /// The fields of an EPC069-12 text, by name.
    static func fields(_ bytes: [UInt8]) -> [String] { String(decoding: bytes, as: UTF8.self).components(separatedBy: "\n") }

    static func expected(amount: String) -> [String] {
        ["BCD", "002", "1", "SCT", "COBADEFFXXX", "Acme Software GmbH", "DE89370400440532013000", amount, "", "", "INV-1"]
    }

    @Test(.enabled(if: Self.toolsPresent, "skipped: zbarimg, pdftoppm or chromium missing (`make deps`, `make test-tools`)"))
    func theCodeOnThePDFAndTheBuyersPageDecodesToTheTransferOfWhatIsDue() async throws {
        let h = try APIHarness(transport: .live, renderer: try Self.renderer.get())
        let acme = try await EInvoiceRouteTests().completeTenant(h)
        let id = try await h.invoice(acme)
        let scratch = TemporaryDirectory()

        let pdf = try await h.send("GET", "/api/invoices/\(id)/pdf", token: acme.token)
        let pdfPath = scratch.file("invoice.pdf")
        try pdf.body.write(to: URL(fileURLWithPath: pdfPath))
        let text = try Spawn.run("/usr/bin/pdftotext", ["-layout", pdfPath, "-"]).text
        #expect(text.contains(EPCPaymentCode.caption))
        let rendered = try Spawn.run("/usr/bin/pdftoppm", ["-r", "150", "-gray", "-png", "-f", "1", "-l", "1", pdfPath, scratch.file("page")])
        #expect(rendered.status == 0)
        let page = try #require(try FileManager.default.contentsOfDirectory(atPath: scratch.path).first { $0.hasPrefix("page") && $0.hasSuffix(".png") })
        #expect(Self.fields(try ZBarImage.decode(file: scratch.file(page))) == Self.expected(amount: "EUR1356.60"))

        let token = try #require(try await h.send("POST", "/api/invoices/\(id)/share", token: acme.token).json["shareToken"] as? String)
        #expect(Self.fields(try screenshotCode(h, "/invoice/\(token)", scratch)) == Self.expected(amount: "EUR1356.60"))
        let html = try await h.send("GET", "/invoice/\(token)").text
        #expect(html.contains(EPCPaymentCode.caption) && html.contains("/invoice/\(token)/einvoice.xml"))

        // A credit note lowers what is due: both codes follow.
        _ = try await h.send("POST", "/api/invoices/\(id)/credit-notes", token: acme.token, json: ["number": "CN-1", "amount": 11_900])
        #expect(Self.fields(try screenshotCode(h, "/invoice/\(token)", scratch)) == Self.expected(amount: "EUR1237.60"))
        let after = try await h.send("GET", "/api/invoices/\(id)/pdf", token: acme.token)
        let afterPath = scratch.file("after.pdf")
        try after.body.write(to: URL(fileURLWithPath: afterPath))
        _ = try Spawn.run("/usr/bin/pdftoppm", ["-r", "150", "-gray", "-png", "-f", "1", "-l", "1", afterPath, scratch.file("after")])
        let afterPage = try #require(try FileManager.default.contentsOfDirectory(atPath: scratch.path).first { $0.hasPrefix("after") && $0.hasSuffix(".png") })
        #expect(Self.fields(try ZBarImage.decode(file: scratch.file(afterPage))) == Self.expected(amount: "EUR1237.60"))
        await h.stop()
    }

    /// What zbarimg reads from Chromium's screenshot of the page at `path`.
    func screenshotCode(_ h: APIHarness, _ path: String, _ scratch: TemporaryDirectory) throws -> [UInt8] {
        let shot = scratch.file("shot-\(UUID().uuidString).png")
        let run = try Spawn.run(try #require(Self.chromium), ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                                                              "--window-size=800,1400", "--screenshot=\(shot)", "http://127.0.0.1:\(h.port)\(path)"])
        try #require(run.status == 0, "\(String(decoding: run.stderr, as: UTF8.self))")
        return try ZBarImage.decode(file: shot)
    }

    @Test func noCodeWithoutAnIBANOrOutsideEUROrOnceNothingIsDue() async throws {
        let h = try APIHarness()
        let acme = try await EInvoiceRouteTests().completeTenant(h)
        let usd = try await h.send("POST", "/api/invoices", token: acme.token, json: h.invoiceJSON(customer: acme.customerID, number: "US-1", currency: "USD"))
        let usdID = try #require(usd.json["id"] as? Int)
        _ = try await h.send("POST", "/api/invoices/\(usdID)/issue", token: acme.token)
        let usdToken = try #require(try await h.send("POST", "/api/invoices/\(usdID)/share", token: acme.token).json["shareToken"] as? String)
        #expect(!(try await h.send("GET", "/invoice/\(usdToken)").text.contains(EPCPaymentCode.caption)))

        let id = try await h.invoice(acme)
        let token = try #require(try await h.send("POST", "/api/invoices/\(id)/share", token: acme.token).json["shareToken"] as? String)
        #expect(try await h.send("GET", "/invoice/\(token)").text.contains(EPCPaymentCode.caption))
        _ = try await h.send("POST", "/api/invoices/\(id)/credit-notes", token: acme.token, json: ["number": "CN-1", "amount": 135_660])
        #expect(!(try await h.send("GET", "/invoice/\(token)").text.contains(EPCPaymentCode.caption)), "nothing is due")

        let plain = try await h.tenant("plain")
        let plainID = try await h.invoice(plain)
        let plainToken = try #require(try await h.send("POST", "/api/invoices/\(plainID)/share", token: plain.token).json["shareToken"] as? String)
        let page = try await h.send("GET", "/invoice/\(plainToken)").text
        #expect(!page.contains(EPCPaymentCode.caption) && !page.contains("einvoice.xml"), "no bank account, no e-invoice")
        await h.stop()
    }

    @Test func aCreditNoteIsAPDFOfItsOwnForTheTenantAndInThePortal() async throws {
        let h = try APIHarness(renderer: try Self.renderer.get())
        let acme = try await EInvoiceRouteTests().completeTenant(h)
        let id = try await h.invoice(acme)
        let note = try await h.send("POST", "/api/invoices/\(id)/credit-notes", token: acme.token,
                                    json: ["number": "CN-1", "amount": 11_900, "reason": "Two hours not worked"])
        let noteID = try #require(note.json["id"] as? Int)
        let pdf = try await h.send("GET", "/api/credit-notes/\(noteID)/pdf", token: acme.token)
        #expect(pdf.status == 200)
        #expect(pdf.header("Content-Disposition") == "attachment; filename=\"CreditNote-CN-1.pdf\"")
        let scratch = TemporaryDirectory()
        let path = scratch.file("cn.pdf")
        try pdf.body.write(to: URL(fileURLWithPath: path))
        let text = try Spawn.run("/usr/bin/pdftotext", ["-layout", path, "-"]).text
        #expect(text.contains("Credit note CN-1") && text.contains("INV-1") && text.contains("Two hours not worked"), "\(text)")
        #expect(!text.contains(EPCPaymentCode.caption))

        let portal = try #require(try await h.send("POST", "/api/customers/\(acme.customerID)/portal-token", token: acme.token).json["token"] as? String)
        let row = try #require((try await h.send("GET", "/api/portal/\(portal)").json["creditNotes"] as? [[String: Any]])?.first)
        let publicID = try #require(row["publicId"] as? String)
        #expect(row["hasDocument"] as? Bool == true)
        #expect(try await h.send("GET", "/portal/\(portal)").text.contains("/portal/\(portal)/credit-notes/\(publicID)/pdf"))
        let fromPortal = try await h.send("GET", "/portal/\(portal)/credit-notes/\(publicID)/pdf")
        #expect(fromPortal.status == 200 && fromPortal.body.starts(with: Data("%PDF".utf8)))

        let other = try await h.tenant("other")
        #expect(try await h.send("GET", "/api/credit-notes/\(noteID)/pdf", token: other.token).status == 404)
        let otherPortal = try #require(try await h.send("POST", "/api/customers/\(other.customerID)/portal-token", token: other.token).json["token"] as? String)
        #expect(try await h.send("GET", "/portal/\(otherPortal)/credit-notes/\(publicID)/pdf").status == 404)
        await h.stop()
    }
}
