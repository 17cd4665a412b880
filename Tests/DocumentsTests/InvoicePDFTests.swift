import BillportCore
import Documents
import Foundation
import Billing
import TestSupport
import Testing

/// Real PDFs checked with real tools: qpdf, pdftotext, pdffonts, pdfimages, pdfinfo (Debian).
@Suite struct InvoicePDFTests {
    static let renderer = Result { try PDFInvoiceRenderer() }

    func tool(_ name: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let output = try Spawn.run("/usr/bin/" + name, arguments)
        return (output.status, output.text + String(decoding: output.stderr, as: UTF8.self))
    }

    func write(_ bytes: [UInt8], _ dir: TemporaryDirectory, _ name: String = "invoice.pdf") throws -> String {
        let path = dir.file(name)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func aOnePageInvoiceIsValidAndReadsBackInEveryScript() throws {
        let dir = TemporaryDirectory()
        let sheet = try SampleInvoice.sheet(lines: 8)
        let path = try write(try Self.renderer.get().render(sheet), dir)
        let check = try tool("qpdf", ["--check", path])
        #expect(check.status == 0, "\(check.output)")
        let text = try tool("pdftotext", ["-layout", path, "-"]).output
        for expected in ["Invoice INV-2026-0042", "Zoë Müller-Łukasiewicz", "Demo Consulting GmbH", "Page 1 of 1", "Amount due"]
            + SampleInvoice.descriptions.map({ String($0.prefix(30)) }) {
            #expect(text.contains(expected), "pdftotext lacks \(expected)")
        }
        #expect(text.contains(Money(minorUnits: sheet.invoice.totals.total, currency: sheet.invoice.currency).formatted))
        let fonts = try tool("pdffonts", [path]).output
        #expect(fonts.contains("DejaVuSans"))
        let subsetLines = fonts.split(separator: "\n").filter { $0.contains("+DejaVuSans") }
        #expect(subsetLines.count == 2)
        #expect(subsetLines.allSatisfy { $0.contains("CID TrueType") && $0.contains("yes yes yes") })
        let info = try tool("pdfinfo", [path]).output
        #expect(info.contains("Title:           Invoice INV-2026-0042"))
        #expect(info.contains("Pages:           1"))
        #expect(info.contains("595.28 x 841.89"))
    }

    @Test func aTwoHundredLineInvoiceHasSeveralPagesEachNumberedWithTheHeader() throws {
        let dir = TemporaryDirectory()
        let path = try write(try Self.renderer.get().render(try SampleInvoice.sheet(lines: 200)), dir)
        #expect(try tool("qpdf", ["--check", path]).status == 0)
        let pages = Int(try tool("pdfinfo", [path]).output.split(separator: "\n").first { $0.hasPrefix("Pages:") }!.split(separator: " ").last!)!
        #expect(pages >= 4)
        for page in 1...pages {
            let text = try tool("pdftotext", ["-f", "\(page)", "-l", "\(page)", "-layout", path, "-"]).output
            #expect(text.contains("Page \(page) of \(pages)"))
            if page < pages { #expect(text.contains("Description") && text.contains("Unit price")) }
        }
    }

    @Test func theLogoIsEmbeddedAndLetterPaperIsHonoured() throws {
        let dir = TemporaryDirectory()
        let path = try write(try Self.renderer.get().render(try SampleInvoice.sheet(lines: 3, logo: TestImages.rgbaPNG, pageSize: .letter)), dir)
        #expect(try tool("qpdf", ["--check", path]).status == 0)
        let images = try tool("pdfimages", ["-list", path]).output
        #expect(images.contains("image") && images.contains("smask"))
        #expect(try tool("pdfinfo", [path]).output.contains("612 x 792"))
    }

    @Test func theSameInvoiceGivesTheSameBytes() throws {
        let renderer = try Self.renderer.get()
        let sheet = try SampleInvoice.sheet(lines: 30, logo: TestImages.rgbaPNG)
        #expect(try renderer.render(sheet) == renderer.render(sheet))
    }

    @Test func aLogoThatIsNotAnImageIsAClearError() throws {
        let renderer = try Self.renderer.get()
        var sheet = try SampleInvoice.sheet(lines: 1)
        sheet.branding.logo = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3]
        let error = try #require(throws: RenderFailure.self) { try renderer.render(sheet) }
        #expect(error.description.hasPrefix("the tenant's logo cannot be used"))
    }

    @Test func hugeAndAwkwardInputStillGivesAValidPDF() throws {
        let dir = TemporaryDirectory()
        let renderer = try Self.renderer.get()
        let long = try SampleInvoice.sheet(lines: 10_000)
        let bytes = try renderer.render(long)
        let path = try write(bytes, dir, "long.pdf")
        #expect(try tool("qpdf", ["--check", path]).status == 0)
        var odd = try SampleInvoice.sheet(lines: 2)
        odd.invoice = Invoice(id: 1, publicID: "p", customerID: 1, type: .ar, number: "X", status: .issued, deliveryStatus: .notSent,
                              currency: odd.invoice.currency, issueDate: odd.invoice.issueDate, dueDate: odd.invoice.dueDate,
                              notes: "中文 😀 \u{0007}", allowPartialPayments: false, minimumPaymentAmount: nil,
                              lines: [InvoiceLine(description: "", quantity: Quantity(tenThousandths: 9_999_999_999_999), unitPrice: 99, taxRate: TaxRate(hundredthsOfPercent: 0), net: 99)],
                              totals: odd.invoice.totals, amountPaid: 0, amountCredited: 0, createdAt: odd.invoice.createdAt, issuedAt: nil)
        let oddPath = try write(try renderer.render(odd), dir, "odd.pdf")
        #expect(try tool("qpdf", ["--check", oddPath]).status == 0)
        #expect(try tool("pdftotext", [oddPath, "-"]).output.contains("??"))  // glyphs the font lacks show as "?"
    }
}
