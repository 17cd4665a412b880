import Documents
import Foundation
import Testing
import TestSupport

/// The e-invoice downloads through the real API: the XML of an invoice whose seller and buyer
/// are complete, checked by the official EN 16931 rules; the same XML inside the invoice PDF
/// (PDF/A-3b, read by pikepdf and the factur-x library); XRechnung; the buyer's copy; credit notes.
@Suite struct EInvoiceRouteTests {
    static let renderer = Result { try PDFInvoiceRenderer() }

    /// A tenant whose company profile and customer are complete, with the customer's reference.
    func completeTenant(_ h: APIHarness, _ slug: String = "acme") async throws -> APIHarness.Tenant {
        let tenant = try await h.tenant(slug)
        _ = try await h.send("PATCH", "/api/settings/company", token: tenant.token, json: LegalInvoiceDataTests.company)
        _ = try await h.send("PATCH", "/api/customers/\(tenant.customerID)", token: tenant.token, json: [
            "address": ["lines": ["Rathausplatz 1"], "postalCode": "12345", "city": "Musterhausen", "country": "DE"],
            "buyerReference": "04011000-12345-67",
        ])
        return tenant
    }

    @Test func noEInvoiceUntilTheCompanyIsCompleteAndTheAnswerSaysWhy() async throws {
        let h = try APIHarness()
        let acme = try await h.tenant("acme")
        let draft = try await h.invoice(acme, number: "INV-0", issue: false)
        let refused = try await h.send("GET", "/api/invoices/\(draft)/einvoice.xml", token: acme.token)
        #expect(refused.status == 409)
        #expect(refused.errorCode == "einvoice_unavailable")
        #expect(refused.text.contains("legalName, address, vatId or taxNumber"), "\(refused.text)")
        // An invoice issued without the data keeps lacking it: the reasons name each rule.
        let id = try await h.invoice(acme)
        _ = try await h.send("PATCH", "/api/settings/company", token: acme.token, json: LegalInvoiceDataTests.company)
        let issued = try await h.send("GET", "/api/invoices/\(id)/einvoice.xml", token: acme.token)
        #expect(issued.errorCode == "einvoice_unavailable")
        #expect(issued.text.contains("(BR-08)") && issued.text.contains("(BR-10): set address on the customer"), "\(issued.text)")
        let missing = try await h.send("GET", "/api/invoices/999/einvoice.xml", token: acme.token)
        #expect(missing.status == 404)
        await h.stop()
    }

    @Test(.enabled(if: EInvoiceCheck.rulesPresent, EInvoiceCheck.rulesMissing),
          .enabled(if: EInvoiceCheck.validatorsInstalled, EInvoiceCheck.validatorsMissing),
          .enabled(if: PDFAReport.toolsInstalled, PDFAReport.skipMessage))
    func theXMLPassesTheOfficialRulesAndThePDFCarriesTheSameXMLAsPDFA3() async throws {
        let h = try APIHarness(renderer: try Self.renderer.get())
        let acme = try await completeTenant(h)
        let id = try await h.invoice(acme)
        let xml = try await h.send("GET", "/api/invoices/\(id)/einvoice.xml", token: acme.token)
        #expect(xml.status == 200, "\(xml.text)")
        #expect(xml.header("Content-Type") == "application/xml; charset=utf-8")
        #expect(xml.header("Content-Disposition") == "attachment; filename=\"Invoice-INV-1.xml\"")
        let xrechnung = try await h.send("GET", "/api/invoices/\(id)/xrechnung.xml", token: acme.token)
        #expect(xrechnung.status == 200, "\(xrechnung.text)")
        #expect(xrechnung.text.contains("urn:xeinkauf.de:kosit:xrechnung_3.0") && xrechnung.text.contains("04011000-12345-67"))

        let note = try await h.send("POST", "/api/invoices/\(id)/credit-notes", token: acme.token, json: ["number": "CN-1", "amount": 11_900])
        let noteID = try #require(note.json["id"] as? Int)
        let creditXML = try await h.send("GET", "/api/credit-notes/\(noteID)/einvoice.xml", token: acme.token)
        #expect(creditXML.status == 200, "\(creditXML.text)")
        #expect(creditXML.text.contains("<ram:TypeCode>381</ram:TypeCode>"))

        let checks = try EInvoiceCheck.run(xml: [[UInt8](xml.body), [UInt8](xrechnung.body), [UInt8](creditXML.body)])
        for (name, check) in zip(["invoice", "xrechnung", "credit note"], checks) {
            #expect(check.fatal.isEmpty, "\(name): \(check.fatal.map { "\($0.id ?? "?") \($0.text)" })")
            #expect(check.xsd.valid, "\(name): \(check.xsd.error ?? "")")
            #expect(check.drafthorse.parsed, "\(name)")
        }
        #expect(checks.first?.drafthorse.grandTotal == "1356.60")
        #expect(checks.last?.drafthorse.number == "CN-1")

        let pdf = try await h.send("GET", "/api/invoices/\(id)/pdf", token: acme.token)
        #expect(pdf.status == 200)
        let scratch = TemporaryDirectory()
        let path = scratch.file("invoice.pdf")
        try pdf.body.write(to: URL(fileURLWithPath: path))
        let report = try PDFAReport.read(path)
        #expect(report.metadata.part == "3" && report.metadata.conformance == "B")
        #expect(report.violations.isEmpty, "\(report.violations)")
        let facturx = try #require(report.facturx)
        #expect(facturx.level == "en16931")
        #expect(facturx.xml == [UInt8](xml.body), "the PDF embeds the XML the e-invoice route serves")
        let qpdf = try Spawn.run("/usr/bin/qpdf", ["--check", path])
        #expect(qpdf.status == 0, "\(String(decoding: qpdf.stdout, as: UTF8.self))")
        await h.stop()
    }

    @Test func theBuyerGetsTheXMLFromItsLinkAndPortalAndNothingElse() async throws {
        let h = try APIHarness()
        let acme = try await completeTenant(h)
        let id = try await h.invoice(acme)
        let token = try #require(try await h.send("POST", "/api/invoices/\(id)/share", token: acme.token).json["shareToken"] as? String)
        let fromLink = try await h.send("GET", "/invoice/\(token)/einvoice.xml")
        #expect(fromLink.status == 200)
        let tenantCopy = try await h.send("GET", "/api/invoices/\(id)/einvoice.xml", token: acme.token)
        #expect(fromLink.body == tenantCopy.body)

        let portal = try #require(try await h.send("POST", "/api/customers/\(acme.customerID)/portal-token", token: acme.token).json["token"] as? String)
        let publicID = try #require(try await h.send("GET", "/api/invoices/\(id)", token: acme.token).json["publicId"] as? String)
        let fromPortal = try await h.send("GET", "/portal/\(portal)/invoices/\(publicID)/einvoice.xml")
        #expect(fromPortal.status == 200)
        #expect(fromPortal.body == tenantCopy.body)

        // A bad link, and an invoice of a tenant without company data: the same 404.
        #expect(try await h.send("GET", "/invoice/not-a-token/einvoice.xml").status == 404)
        let plain = try await h.tenant("plain")
        let plainID = try await h.invoice(plain)
        let plainToken = try #require(try await h.send("POST", "/api/invoices/\(plainID)/share", token: plain.token).json["shareToken"] as? String)
        #expect(try await h.send("GET", "/invoice/\(plainToken)/einvoice.xml").status == 404)
        // Another tenant's credit note is not found.
        let note = try await h.send("POST", "/api/invoices/\(id)/credit-notes", token: acme.token, json: ["number": "CN-1", "amount": 11_900])
        let noteID = try #require(note.json["id"] as? Int)
        #expect(try await h.send("GET", "/api/credit-notes/\(noteID)/einvoice.xml", token: plain.token).status == 404)
        await h.stop()
    }
}
