import BillportCore
@testable import Documents
import Foundation
import Billing
import Testing

/// Every character 0.5 em wide (bold 0.55): enough to test the rules without a font.
struct FixedMeasurer: TextMeasurer {
    func width(of text: String, bold: Bool, size: Double) -> Double {
        Double(text.count) * size * (bold ? 0.55 : 0.5)
    }
}

func sheet(lines count: Int, description: (Int) -> String = { "Line item \($0)" }, pageSize: Branding.PageSize = .a4,
           notes: String? = "Thank you!") throws -> InvoiceSheet {
    let lines = (0..<count).map { index in
        (description: description(index), quantity: Quantity(tenThousandths: 10_000), unitPrice: Int64(1000 + index),
         taxRate: TaxRate(hundredthsOfPercent: index % 2 == 0 ? 1900 : 700))
    }
    let computed = try InvoiceMath.compute(lines)
    let invoice = Invoice(id: 1, publicID: "inv_x", customerID: 1, type: .ar, number: "INV-2026-0042", status: .issued,
                          deliveryStatus: .notSent, currency: Currency(code: "EUR")!, issueDate: CalendarDate(year: 2026, month: 11, day: 1),
                          dueDate: CalendarDate(year: 2026, month: 12, day: 1), notes: notes, allowPartialPayments: false,
                          minimumPaymentAmount: nil, lines: computed.lines, totals: computed.totals, amountPaid: 500, amountCredited: 0,
                          createdAt: Date(timeIntervalSince1970: 1_795_000_000), issuedAt: Date(timeIntervalSince1970: 1_795_000_000))
    return InvoiceSheet(vendorName: "Acme GmbH", branding: Branding(brandColor: "#AA3300", pageSize: pageSize, paymentInstructions: "IBAN DE00"),
                        customerName: "Zoë Müller", customerEmail: "zoe@example.com", invoice: invoice)
}

func texts(_ page: LaidOutPage) -> [String] {
    page.ops.compactMap { if case .text(let string, _, _, _, _, _) = $0 { string } else { nil } }
}

@Suite struct InvoiceLayoutTests {
    @Test func aShortInvoiceFitsOnePageWithEverything() throws {
        let pages = InvoiceLayout(sheet: try sheet(lines: 3), measurer: FixedMeasurer(), logoPixels: nil).pages()
        #expect(pages.count == 1)
        let all = texts(pages[0])
        for expected in ["Invoice INV-2026-0042", "ISSUED", "Zoë Müller", "Line item 0", "Line item 2", "Subtotal", "VAT summary", "VAT (S)",
                         "20.02 EUR", "3.80 EUR", "10.01 EUR", "0.70 EUR", "Total", "Amount paid", "Amount due", "Thank you!", "IBAN DE00", "Page 1 of 1"] {
            #expect(all.contains(expected), "missing \(expected)")
        }
    }

    @Test func aLongInvoiceRepeatsTheHeaderNumbersPagesAndNeverSplitsARow() throws {
        let long = { (index: Int) in index % 10 == 0 ? "A very long description that must wrap over several lines because it goes on and on \(index)" : "Item \(index)" }
        let pages = InvoiceLayout(sheet: try sheet(lines: 200, description: long), measurer: FixedMeasurer(), logoPixels: nil).pages()
        #expect(pages.count > 3)
        for (index, page) in pages.enumerated() {
            let all = texts(page)
            #expect(all.contains("Page \(index + 1) of \(pages.count)"))
            if all.contains(where: { $0.hasPrefix("Item ") || $0.hasPrefix("A very long") }) {
                #expect(all.contains("Description"), "a page with rows has the table header")
            }
            // Nothing is drawn below the footer rule.
            for op in page.ops {
                if case .text(_, _, let y, _, _, _) = op { #expect(y <= page.height - 48 + 20) }
            }
        }
        // Every row's first and last wrapped piece sit on the same page.
        for index in stride(from: 0, to: 200, by: 10) {
            let pieces = TextLayout.wrap(long(index), width: InvoiceLayout(sheet: try sheet(lines: 1), measurer: FixedMeasurer(), logoPixels: nil).descriptionWidth,
                                         measurer: FixedMeasurer(), size: 9.5)
            #expect(pieces.count > 1)
            let holders = pages.filter { texts($0).contains(pieces.first!) && texts($0).contains(pieces.last!) }
            #expect(holders.count == 1, "row \(index) is split")
        }
    }

    @Test func amountsAreRightAligned() throws {
        let layout = InvoiceLayout(sheet: try sheet(lines: 1), measurer: FixedMeasurer(), logoPixels: nil)
        let page = layout.pages()[0]
        let amount = Money(minorUnits: 1000, currency: Currency(code: "EUR")!).formatted
        let found = page.ops.compactMap { op -> Double? in
            if case .text(let string, let x, _, let bold, let size, _) = op, string == amount {
                return x + FixedMeasurer().width(of: string, bold: bold, size: size)
            }
            return nil
        }
        #expect(found.contains { abs($0 - layout.amountRight) < 0.001 })
    }

    @Test func letterPaperAndALogoChangeTheFrame() throws {
        let page = InvoiceLayout(sheet: try sheet(lines: 1, pageSize: .letter), measurer: FixedMeasurer(), logoPixels: (300, 100)).pages()[0]
        #expect(page.width == 612 && page.height == 792)
        #expect(page.ops.contains { if case .logo(_, _, let width, let height) = $0 { abs(width / height - 3) < 0.01 } else { false } })
    }

    @Test func wrappingBreaksAtSpacesAndInsideOverlongWords() {
        let lines = TextLayout.wrap("alpha beta gamma " + String(repeating: "x", count: 40), width: 60, measurer: FixedMeasurer(), size: 10)
        #expect(lines.first == "alpha beta")
        #expect(lines.allSatisfy { FixedMeasurer().width(of: $0, bold: false, size: 10) <= 60 })
        #expect(lines.joined().replacingOccurrences(of: " ", with: "") == "alphabetagamma" + String(repeating: "x", count: 40))
    }

    @Test func formatsQuantitiesAndRatesLikePeople() {
        #expect(Formatting.quantity(Quantity(tenThousandths: 120_000)) == "12")
        #expect(Formatting.quantity(Quantity(tenThousandths: 15_000)) == "1.5")
        #expect(Formatting.quantity(Quantity(tenThousandths: 2_500)) == "0.25")
        #expect(Formatting.rate(TaxRate(hundredthsOfPercent: 1900)) == "19%")
        #expect(Formatting.rate(TaxRate(hundredthsOfPercent: 770)) == "7.7%")
        #expect(Formatting.rate(TaxRate(hundredthsOfPercent: 5)) == "0.05%")
    }

    @Test func theContentHashChangesWithAPaymentAndNotOtherwise() throws {
        let base = try sheet(lines: 2)
        var paid = base
        paid.invoice = Invoice(id: 1, publicID: "inv_x", customerID: 1, type: .ar, number: base.invoice.number, status: .issued,
                               deliveryStatus: .notSent, currency: base.invoice.currency, issueDate: base.invoice.issueDate,
                               dueDate: base.invoice.dueDate, notes: base.invoice.notes, allowPartialPayments: false, minimumPaymentAmount: nil,
                               lines: base.invoice.lines, totals: base.invoice.totals, amountPaid: 999, amountCredited: 0,
                               createdAt: base.invoice.createdAt, issuedAt: base.invoice.issuedAt)
        #expect(base.contentHash == (try sheet(lines: 2)).contentHash)
        #expect(base.contentHash != paid.contentHash)
        #expect(base.fileName == "Invoice-INV-2026-0042.pdf")
    }
}
