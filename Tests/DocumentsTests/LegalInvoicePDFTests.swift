import BillportCore
@testable import Documents
import Foundation
import Billing
import TestSupport
import Testing

/// Legal invoices and credit notes as real PDFs, read back with pdftotext, pdftoppm and zbarimg.
@Suite struct LegalInvoicePDFTests {
    static let renderer = Result { try PDFInvoiceRenderer() }

    func run(_ name: String, _ arguments: [String]) throws -> String {
        let output = try Spawn.run("/usr/bin/" + name, arguments)
        return output.text + String(decoding: output.stderr, as: UTF8.self)
    }

    func write(_ bytes: [UInt8], _ dir: TemporaryDirectory, _ name: String) throws -> String {
        let path = dir.file(name)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        #expect(try Spawn.run("/usr/bin/qpdf", ["--check", path]).status == 0)
        return path
    }

    func pageCount(_ path: String) throws -> Int {
        Int(try run("pdfinfo", [path]).split(separator: "\n").first { $0.hasPrefix("Pages:") }!.split(separator: " ").last!)!
    }

    @Test func pdftotextReadsEveryLegalItemOfAFullInvoice() throws {
        let dir = TemporaryDirectory()
        let path = try write(try Self.renderer.get().render(try LegalInvoiceFixtures.sheet()), dir, "legal.pdf")
        let text = try run("pdftotext", ["-layout", path, "-"])
        for expected in ["Invoice INV-2026-0107", "Demo Consulting GmbH", "Friedrichstraße 123", "3. OG", "10117 Berlin", "Germany",
                         "VAT ID DE123456789", "Tax no. 37/123/45678", "HRB 123456 B", "Contact: Jana Schmidt",
                         "Phone +49 30 1234567", "billing@demo-consulting.example", "Nordlicht Analytics AG", "Ringstraße 1", "1010 Wien", "Austria",
                         "VAT ID ATU12345678", "Your reference: 04011000-12345-34", "Service period", "2026-10-01 – 2026-10-31",
                         "Issue date", "2026-11-02", "Due date", "2026-12-02", "12 h", "2 months", "1 day",
                         "Allowance: Loyalty discount", "Charge: Freight", "Tax basis", "3,404.70 EUR", "3,735.03 EUR",
                         "Reverse charge: VAT to be accounted for by the recipient", LegalInvoiceFixtures.exemptReason,
                         "Payable within 14 days without deduction.", "DE89 3704 0044 0532 0130 00", "COBADEFFXXX"] {
            #expect(text.contains(expected), "pdftotext lacks \(expected)")
        }
        // One summary row per category and rate, each on one line with its taxable amount and VAT.
        let lines = text.split(separator: "\n").map(String.init)
        for (label, rate, base, tax) in [("VAT (S)", "7%", "104.70 EUR", "7.33 EUR"), ("VAT (S)", "19%", "1,700.00 EUR", "323.00 EUR"),
                                         ("VAT exempt (E)", "0%", "800.00 EUR", "0.00 EUR"), ("Reverse charge (AE)", "0%", "800.00 EUR", "0.00 EUR")] {
            #expect(lines.contains { $0.contains(label) && $0.contains(" \(rate) ") && $0.contains(base) && $0.contains(tax) },
                    "no summary line \(label) \(rate) \(base) \(tax)")
        }
    }

    @Test func aCreditNoteIsItsOwnDocumentNamingTheInvoiceItCorrects() throws {
        let dir = TemporaryDirectory()
        let sheet = try LegalInvoiceFixtures.creditNote()
        let path = try write(try Self.renderer.get().render(sheet), dir, sheet.fileName)
        let text = try run("pdftotext", ["-layout", path, "-"])
        for expected in ["Credit note CN-2026-0003", "Corrects invoice INV-2026-0107 of 2026-11-02", "Reason",
                         "Two hours of the review were not delivered.", "2026-11-20", "VAT (S)", "357.00 EUR", "Page 1 of 1"] {
            #expect(text.contains(expected), "pdftotext lacks \(expected)")
        }
        #expect(!text.contains("Amount due") && !text.contains("Bank transfer") && !text.contains(InvoiceLayout.paymentCodeCaption))
        #expect(try run("pdfinfo", [path]).contains("Title:           Credit note CN-2026-0003"))
    }

    @Test func anInvoiceWithoutCompanyDataStillRendersThePlainLayout() throws {
        let dir = TemporaryDirectory()
        var sheet = try LegalInvoiceFixtures.sheet()
        sheet.company = CompanyProfile()
        sheet.buyer = BuyerDetails()
        let text = try run("pdftotext", ["-layout", try write(try Self.renderer.get().render(sheet), dir, "plain.pdf"), "-"])
        #expect(text.contains("Invoice INV-2026-0107") && text.contains("Bill to") && text.contains("Amount due"))
        #expect(!text.contains("From") && !text.contains("VAT ID"))
    }

    @Test func aTwoHundredLineInvoiceShowsEveryLineAndItsTaxSummary() throws {
        let dir = TemporaryDirectory()
        let path = try write(try Self.renderer.get().render(try LegalInvoiceFixtures.sheet(lines: 196)), dir, "long.pdf")
        let pages = try pageCount(path)
        #expect(pages >= 4)
        let text = try run("pdftotext", ["-layout", path, "-"])
        for index in 1...196 { #expect(text.contains("Support ticket \(index) "), "line \(index) is missing") }
        let last = try run("pdftotext", ["-f", "\(pages)", "-l", "\(pages)", "-layout", path, "-"])
        #expect(text.contains("VAT summary") && text.contains("Reverse charge (AE)"))
        #expect(last.contains("Page \(pages) of \(pages)") && last.contains("Bank transfer"))
    }

    @Test func thePaymentCodeIsPrintedModuleForModuleAndScans() throws {
        let dir = TemporaryDirectory()
        let code = LegalInvoiceFixtures.epcCode
        let path = try write(try Self.renderer.get().render(try LegalInvoiceFixtures.sheet(paymentCode: code)), dir, "qr.pdf")
        let pages = try pageCount(path)
        let page = try #require((1...pages).first { page in
            (try? run("pdftotext", ["-f", "\(page)", "-l", "\(page)", path, "-"]).contains(InvoiceLayout.paymentCodeCaption)) == true
        })
        let prefix = dir.file("page")
        #expect(try Spawn.run("/usr/bin/pdftoppm", ["-gray", "-r", "200", "-f", "\(page)", "-l", "\(page)", "-singlefile", path, prefix]).status == 0)
        let image = try GreyImage(pgm: [UInt8](try Data(contentsOf: URL(fileURLWithPath: prefix + ".pgm"))))
        // Only the code is pure black (text is ink-grey): its extent is the symbol's.
        let black = image.bounds { $0 < 8 }
        let box = try #require(black)
        let side = Double(box.maxX - box.minX + 1)
        #expect(side / 200 * 25.4 >= 25, "the code is \(side / 200 * 25.4) mm wide")
        let module = side / Double(code.size)
        for y in 0..<code.size {
            for x in 0..<code.size {
                let pixel = image[Int(Double(box.minX) + (Double(x) + 0.5) * module), Int(Double(box.minY) + (Double(y) + 0.5) * module)]
                #expect((pixel < 128) == code.isDark(x: x, y: y), "module \(x),\(y)")
            }
        }
        let decoded = try Spawn.run("/usr/bin/zbarimg", ["-q", "--raw", prefix + ".pgm"])
        #expect(decoded.text == LegalInvoiceFixtures.epcText + "\n")
    }
}

/// A binary PGM (what `pdftoppm -gray` writes): width, height and one byte per pixel.
struct GreyImage {
    let width: Int
    let height: Int
    let pixels: [UInt8]

    struct Malformed: Error {}

    init(pgm bytes: [UInt8]) throws {
        var fields: [String] = []
        var index = 0
        while fields.count < 4, index < bytes.count {
            while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x0A { index += 1 }
            var field = ""
            while index < bytes.count, bytes[index] != 0x20, bytes[index] != 0x0A { field.append(Character(UnicodeScalar(bytes[index]))); index += 1 }
            fields.append(field)
        }
        guard fields.count == 4, fields[0] == "P5", let width = Int(fields[1]), let height = Int(fields[2]), index < bytes.count else { throw Malformed() }
        self.width = width
        self.height = height
        pixels = Array(bytes[(index + 1)...])
        guard pixels.count >= width * height else { throw Malformed() }
    }

    subscript(x: Int, y: Int) -> UInt8 { pixels[y * width + x] }

    /// The smallest rectangle holding every pixel that passes `test`.
    func bounds(_ test: (UInt8) -> Bool) -> (minX: Int, minY: Int, maxX: Int, maxY: Int)? {
        var result: (minX: Int, minY: Int, maxX: Int, maxY: Int)?
        for y in 0..<height {
            for x in 0..<width where test(pixels[y * width + x]) {
                result = (min(result?.minX ?? x, x), min(result?.minY ?? y, y), max(result?.maxX ?? x, x), max(result?.maxY ?? y, y))
            }
        }
        return result
    }
}
