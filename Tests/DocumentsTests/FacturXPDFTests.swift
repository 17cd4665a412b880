import Billing
import BillportCore
import Documents
import Foundation
import PDF
import TestSupport
import Testing

/// The invoice PDF with its Factur-X XML, read back by independent tools: qpdf, pikepdf and the
/// `factur-x` library (`Tests/Python/check_pdfa.py`).
@Suite struct FacturXPDFTests {
    static let renderer = Result { try PDFInvoiceRenderer() }
    /// The CEN's EN 16931 CII sample, read in place (never copied into the repository).
    static let sharedSample = PDFAReport.root.deletingLastPathComponent().appendingPathComponent("shared/einvoice/examples/CII_example1.xml").path
    static var sharedSamplePresent: Bool { FileManager.default.fileExists(atPath: sharedSample) }
    /// A small stand-in with the EN 16931 guideline id, enough for packaging checks.
    static let minimalXML = Array("""
        <?xml version="1.0" encoding="UTF-8"?>
        <rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100" \
        xmlns:ram="urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100">
        <rsm:ExchangedDocumentContext><ram:GuidelineSpecifiedDocumentContextParameter><ram:ID>urn:cen.eu:en16931:2017</ram:ID>\
        </ram:GuidelineSpecifiedDocumentContextParameter></rsm:ExchangedDocumentContext>
        </rsm:CrossIndustryInvoice>

        """.utf8)

    func render(_ xml: [UInt8]?, logo: [UInt8]? = nil) throws -> [UInt8] {
        var sheet = try SampleInvoice.sheet(lines: 8, logo: logo)
        sheet.eInvoiceXML = xml
        return try Self.renderer.get().render(sheet)
    }

    func write(_ bytes: [UInt8], _ dir: TemporaryDirectory, _ name: String = "invoice.pdf") throws -> String {
        let path = dir.file(name)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func withoutXMLTheInvoiceIsAPlainPDFAndKeepsItsCacheKey() throws {
        let plain = String(decoding: try render(nil), as: UTF8.self)
        #expect(!plain.contains("pdfaid") && !plain.contains("/EmbeddedFiles") && !plain.contains("/OutputIntents"))
        var sheet = try SampleInvoice.sheet(lines: 8)
        let before = sheet.contentHash
        sheet.eInvoiceXML = nil
        #expect(sheet.contentHash == before)
        sheet.eInvoiceXML = Self.minimalXML
        #expect(sheet.contentHash != before, "a PDF with XML must not be served from a plain PDF's cache entry")
    }

    @Test(.enabled(if: FileManager.default.fileExists(atPath: "/usr/bin/pdftotext"), "skipped: poppler-utils not installed"))
    func theXMLChangesNothingOnThePage() throws {
        let dir = TemporaryDirectory()
        let plain = try write(try render(nil), dir, "plain.pdf"), archival = try write(try render(Self.minimalXML), dir, "archival.pdf")
        let plainText = try Spawn.run("/usr/bin/pdftotext", ["-layout", plain, "-"]).text
        #expect(!plainText.isEmpty)
        #expect(try Spawn.run("/usr/bin/pdftotext", ["-layout", archival, "-"]).text == plainText)
        #expect(try Spawn.run("/usr/bin/qpdf", ["--check", archival]).status == 0)
    }

    @Test(.enabled(if: PDFAReport.toolsInstalled, PDFAReport.skipMessage))
    func pikepdfAndFacturXReadTheProfileTheXMPAndTheAttachment() throws {
        let dir = TemporaryDirectory()
        let path = try write(try render(Self.minimalXML, logo: TestPNG.zeros(width: 40, height: 20)), dir)
        let check = try Spawn.run("/usr/bin/qpdf", ["--check", path])
        #expect(check.status == 0, "\(check.text)")
        let report = try PDFAReport.read(path)
        #expect(report.pdfaStatus == "3B")
        #expect(report.violations == [])
        #expect(report.metadata.title == "Invoice INV-2026-0042")
        #expect(report.metadata.fx == ["DocumentType": "INVOICE", "DocumentFileName": "factur-x.xml", "Version": "1.0", "ConformanceLevel": "EN 16931"])
        #expect(report.metadata.extensionSchemaDescribesFx)
        #expect(report.outputIntents.map(\.subtype) == ["GTS_PDFA1"] && report.outputIntents.map(\.n) == [3])
        #expect(Array(report.attachments.keys) == ["factur-x.xml"])
        #expect(report.attachments["factur-x.xml"]?.relationship == "Data" && report.attachments["factur-x.xml"]?.subtype == "text/xml")
        #expect(report.af == ["factur-x.xml"])
        let facturx = try #require(report.facturx)
        #expect(facturx.filename == "factur-x.xml" && facturx.flavor == "factur-x" && facturx.level == "en16931")
        #expect(facturx.xml == Self.minimalXML)
    }

    @Test(.enabled(if: PDFAReport.toolsInstalled, PDFAReport.skipMessage),
          .enabled(if: Self.sharedSamplePresent, "skipped: ../shared/einvoice not present"))
    func theCENSampleComesBackExactlyAndPassesTheFacturXSchema() throws {
        let dir = TemporaryDirectory()
        let xml = [UInt8](try Data(contentsOf: URL(fileURLWithPath: Self.sharedSample)))
        let report = try PDFAReport.read(try write(try render(xml), dir), xsdCheck: Self.sharedSample)
        let facturx = try #require(report.facturx)
        #expect(facturx.xml == xml, "the XML extracted is not the XML embedded")
        #expect(facturx.level == "en16931" && facturx.flavor == "factur-x")
        #expect(facturx.xsdValid == true, "\(facturx.xsdError ?? "")")
    }

    /// One invoice in memory, its renders kept by content hash.
    actor OneInvoiceStore: DocumentStore {
        let sheet: InvoiceSheet
        var stored: [String: [UInt8]] = [:]
        init(_ sheet: InvoiceSheet) { self.sheet = sheet }

        func documentParts(tenantID: Int64, invoiceID: Int64) async throws -> DocumentParts? {
            let customer = Customer(id: 7, name: sheet.customerName, email: sheet.customerEmail, preferences: .init(), createdAt: sheet.documentDate)
            return DocumentParts(vendorName: sheet.vendorName, branding: sheet.branding, customer: customer, invoice: sheet.invoice, company: CompanyProfile())
        }
        func cachedPDF(invoiceID: Int64, contentHash: String) async throws -> [UInt8]? { stored[contentHash] }
        func storePDF(invoiceID: Int64, contentHash: String, pdf: [UInt8]) async throws { stored = [contentHash: pdf] }
    }

    @Test func theServiceEmbedsTheXMLItsMakerGivesAndCachesEachVersionApart() async throws {
        let store = OneInvoiceStore(try SampleInvoice.sheet(lines: 3))
        let renderer = try Self.renderer.get()
        let plain = try #require(try await InvoicePDFService(store: store, renderer: renderer).pdf(tenantID: 1, invoiceID: 42))
        #expect(!String(decoding: plain.bytes, as: UTF8.self).contains("factur-x.xml"))
        let withXML = InvoicePDFService(store: store, renderer: renderer, eInvoice: { _ in Self.minimalXML })
        let archival = try #require(try await withXML.pdf(tenantID: 1, invoiceID: 42))
        let text = String(decoding: archival.bytes, as: UTF8.self)
        #expect(text.contains("(factur-x.xml)") && text.contains("<pdfaid:part>3</pdfaid:part>"))
        #expect(archival.fileName == plain.fileName)
        let none = InvoicePDFService(store: store, renderer: renderer, eInvoice: { _ in nil })
        #expect(try await none.pdf(tenantID: 1, invoiceID: 42)?.bytes == plain.bytes)
    }

    @Test func theAttachmentAndSchemaFollowTheFacturXProfile() throws {
        let date = Date(timeIntervalSince1970: 1_793_577_600)
        let en16931 = FacturXAttachment(xml: Self.minimalXML, date: date)
        let file = try en16931.embeddedFile()
        #expect(file.fileName == "factur-x.xml" && file.mimeType == "text/xml" && file.relationship == .data && file.data == Self.minimalXML)
        let schema = try en16931.metadata()
        #expect(schema.prefix == "fx" && schema.namespaceURI == "urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#")
        #expect(schema.properties.map(\.name) == ["DocumentFileName", "DocumentType", "Version", "ConformanceLevel"])
        #expect(FacturXAttachment(xml: Self.minimalXML, date: date, relationship: .alternative).relationship == .alternative)
        // MINIMUM and BASIC WL are no invoices: their XML is always Data.
        #expect(FacturXAttachment(xml: Self.minimalXML, profile: .minimum, date: date, relationship: .alternative).relationship == .data)
        #expect(FacturXProfile.basicWL.conformanceLevel == "BASIC WL")
        #expect(throws: PDFMetadataError.self) { try FacturXAttachment(xml: [], date: date).embeddedFile() }
    }
}
