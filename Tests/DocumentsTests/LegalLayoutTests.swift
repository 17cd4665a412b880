import BillportCore
@testable import Documents
import Foundation
import Billing
import Testing

/// The legal content of the page, checked on the layout's ops with a fixed-width measurer.
@Suite struct LegalLayoutTests {
    func layout(_ sheet: InvoiceSheet) -> InvoiceLayout { InvoiceLayout(sheet: sheet, measurer: FixedMeasurer(), logoPixels: nil) }

    func rectangles(_ page: LaidOutPage) -> [(x: Double, y: Double, width: Double, height: Double)] {
        page.ops.compactMap { op in
            if case .rectangle(let x, let y, let width, let height, let color) = op, color == .black { (x, y, width, height) } else { nil }
        }
    }

    @Test func aLegalInvoiceNamesSellerBuyerDatesTaxSummaryAndBankDetails() throws {
        let pages = layout(try LegalInvoiceFixtures.sheet()).pages()
        #expect(pages.count == 1)
        let all = texts(pages[0])
        for expected in ["From", "Demo Consulting GmbH", "Friedrichstraße 123", "3. OG", "10117 Berlin", "Germany", "VAT ID DE123456789",
                         "Tax no. 37/123/45678", "HRB 123456 B, Amtsgericht", "Charlottenburg", "Contact: Jana Schmidt", "Phone +49 30 1234567",
                         "billing@demo-consulting.example",
                         "Bill to", "Nordlicht Analytics AG", "Ringstraße 1", "1010 Wien", "Austria", "VAT ID ATU12345678",
                         "Your reference: 04011000-12345-34", "ap@nordlicht.example",
                         "Issue date", "2026-11-02", "Due date", "2026-12-02", "Service period", "2026-10-01 – 2026-10-31",
                         "12 h", "3", "2 months", "1 day", "19%", "7%", "0% AE", "0% E",
                         "Allowance: Loyalty discount", "−100.00 EUR", "Charge: Freight", "15.00 EUR",
                         "Subtotal", "Allowances", "Charges", "Tax basis", "VAT", "Total", "Amount due",
                         "VAT summary", "VAT (S)", "Reverse charge (AE)", "VAT exempt (E)",
                         "Reverse charge: VAT to be accounted for by the recipient", LegalInvoiceFixtures.exemptReason,
                         "Payment terms", "Payable within 14 days without deduction.", "Bank transfer", "Account holder",
                         "DE89 3704 0044 0532 0130 00", "COBADEFFXXX", "INV-2026-0107"] {
            #expect(all.contains(expected), "missing \(expected)")
        }
    }

    @Test func theTaxSummaryHasOneRowPerCategoryAndRateWithItsAmounts() throws {
        let sheet = try LegalInvoiceFixtures.sheet()
        let all = texts(layout(sheet).pages()[0])
        // 19 %: 1,800.00 less the 100.00 discount; 7 %: 89.70 plus 15.00 freight.
        let expected: [(String, Int64, Int64)] = [("VAT (S)", 10_470, 733), ("VAT (S)", 170_000, 32_300), ("VAT exempt (E)", 80_000, 0),
                                                 ("Reverse charge (AE)", 80_000, 0)]
        #expect(sheet.invoice.totals.taxes.map { [$0.base, $0.amount] } == expected.map { [$0.1, $0.2] })
        for (_, base, amount) in expected {
            #expect(all.contains(Money(minorUnits: base, currency: sheet.invoice.currency).formatted))
            #expect(all.contains(Money(minorUnits: amount, currency: sheet.invoice.currency).formatted))
        }
        #expect(all.filter { $0 == "VAT (S)" }.count == 2)
    }

    @Test func anInvoiceWithoutCompanyDataKeepsThePlainLayout() throws {
        var plain = try LegalInvoiceFixtures.sheet()
        plain.company = CompanyProfile()
        plain.buyer = BuyerDetails()
        let all = texts(layout(plain).pages()[0])
        #expect(!all.contains("From") && !all.contains("Bank transfer") && !all.contains("Your reference: 04011000-12345-34"))
        for expected in ["Invoice INV-2026-0107", "Bill to", "Nordlicht Analytics AG", "ap@nordlicht.example", "VAT summary", "Amount due"] {
            #expect(all.contains(expected), "missing \(expected)")
        }
        #expect(plain.document.seller.name == "Acme")
    }

    @Test func aCreditNoteNamesTheInvoiceItCorrectsAndAsksForNoPayment() throws {
        let sheet = try LegalInvoiceFixtures.creditNote()
        let pages = InvoiceLayout(creditNote: sheet, measurer: FixedMeasurer(), logoPixels: nil).pages()
        let all = texts(pages[0])
        for expected in ["Credit note CN-2026-0003", "Corrects invoice INV-2026-0107 of 2026-11-02", "Reason",
                         "Two hours of the review were not delivered.", "Issue date", "2026-11-20", "Architecture review (2 hours not",
                         "2 h", "VAT summary", "VAT (S)", "Total", "Demo Consulting GmbH", "VAT ID ATU12345678"] {
            #expect(all.contains(expected), "missing \(expected)")
        }
        for absent in ["Due date", "Amount due", "Bank transfer", "Payment terms", InvoiceLayout.paymentCodeCaption, "ISSUED"] {
            #expect(!all.contains(absent), "a credit note shows \(absent)")
        }
        #expect(sheet.fileName == "CreditNote-CN-2026-0003.pdf")
        var changed = sheet
        changed.document.note = "Another reason"
        let again = try LegalInvoiceFixtures.creditNote()
        #expect(changed.contentHash != sheet.contentHash)
        #expect(sheet.contentHash == again.contentHash)
    }

    @Test func aStoredCreditNoteTakesThePartiesOfTheInvoiceItCorrects() throws {
        let sheet = try LegalInvoiceFixtures.sheet()
        let customer = Customer(id: 3, name: sheet.customerName, email: sheet.customerEmail, preferences: .init(), createdAt: sheet.invoice.createdAt,
                                details: sheet.buyer)
        let parts = DocumentParts(vendorName: sheet.vendorName, branding: sheet.branding, customer: customer, invoice: sheet.invoice,
                                  company: sheet.company)
        let lines = Array(sheet.invoice.lines.prefix(1))
        let note = CreditNote(id: 1, publicID: "cn_1", invoiceID: sheet.invoice.id, number: "CN-1", issueDate: CalendarDate(year: 2026, month: 11, day: 20),
                              amount: 0, currency: sheet.invoice.currency, reason: "Returned", lines: lines,
                              totals: InvoiceTotals(subtotal: lines[0].net, taxes: InvoiceMath.taxes(for: lines), taxTotal: 34_200, total: 214_200),
                              createdAt: sheet.invoice.createdAt)
        let credit = try #require(CreditNoteSheet(note, parts: parts))
        #expect(credit.fileName == "CreditNote-CN-1.pdf")
        let all = texts(InvoiceLayout(creditNote: credit, measurer: FixedMeasurer(), logoPixels: nil).pages()[0])
        for expected in ["Credit note CN-1", "Corrects invoice INV-2026-0107 of 2026-11-02", "Returned", "Demo Consulting GmbH", "VAT ID ATU12345678"] {
            #expect(all.contains(expected), "missing \(expected)")
        }
        let withoutLines = CreditNote(id: 2, publicID: "cn_2", invoiceID: sheet.invoice.id, number: "CN-2", issueDate: note.issueDate, amount: 100,
                                      currency: note.currency, reason: nil, lines: [], totals: nil, createdAt: note.createdAt)
        #expect(CreditNoteSheet(withoutLines, parts: parts) == nil)
    }

    @Test func thePaymentCodeIsDrawnModuleForModuleAtLeast25MillimetresWide() throws {
        let code = LegalInvoiceFixtures.handMadeCode
        let pages = layout(try LegalInvoiceFixtures.sheet(paymentCode: code)).pages()
        let page = try #require(pages.first { texts($0).contains(InvoiceLayout.paymentCodeCaption) })
        let squares = rectangles(page)
        let left = try #require(squares.map(\.x).min()), top = try #require(squares.map(\.y).min())
        let module = InvoiceLayout.paymentCodeSide / Double(code.size)
        #expect(InvoiceLayout.paymentCodeSide >= 25 / 25.4 * 72)
        for y in 0..<code.size {
            for x in 0..<code.size {
                let centre = (x: left + (Double(x) + 0.5) * module, y: top + (Double(y) + 0.5) * module)
                let covered = squares.contains { centre.x > $0.x && centre.x < $0.x + $0.width && centre.y > $0.y && centre.y < $0.y + $0.height }
                #expect(covered == code.isDark(x: x, y: y), "module \(x),\(y)")
            }
        }
        // Runs are merged: far fewer rectangles than dark modules, and none overlap in area.
        let area = squares.reduce(0.0) { $0 + $1.width * $1.height }
        #expect(abs(area - Double(code.dark.filter { $0 }.count) * module * module) < 0.01)
        #expect(squares.count < code.dark.filter { $0 }.count)
        // The quiet zone: nothing else is drawn within four modules of the symbol.
        let zone = (left: left - 4 * module, top: top - 4 * module, right: left + 29 * module, bottom: top + 29 * module)
        for op in page.ops {
            if case .text(let string, let x, let y, _, let size, _) = op, string != InvoiceLayout.paymentCodeCaption {
                let inside = x + FixedMeasurer().width(of: string, bold: false, size: size) > zone.left && x < zone.right && y > zone.top && y - size < zone.bottom
                #expect(!inside, "\(string) sits in the quiet zone")
            }
        }
    }

    @Test func theMatrixRefusesWhatIsNoQRCodeAndMergesRuns() {
        #expect(PaymentCodeMatrix(size: 20, dark: [Bool](repeating: true, count: 400)) == nil)
        #expect(PaymentCodeMatrix(size: 21, dark: [Bool](repeating: true, count: 440)) == nil)
        let full = PaymentCodeMatrix(size: 21, dark: [Bool](repeating: true, count: 441))!
        #expect(full.rectangles().map { [$0.x, $0.y, $0.width, $0.height] } == [[0, 0, 21, 21]])
        let empty = PaymentCodeMatrix(size: 21, dark: [Bool](repeating: false, count: 441))!
        #expect(empty.rectangles().isEmpty)
    }

    @Test func aLongInvoiceWithManyRatesNeverSplitsASummaryRowFromItsHeader() throws {
        var sheet = try LegalInvoiceFixtures.sheet()
        let inputs = (0..<200).map { index in
            InvoiceMath.LineInput(description: "Item \(index)", quantity: Quantity(tenThousandths: 10_000), unitPrice: 1_000,
                                  taxRate: TaxRate(hundredthsOfPercent: Int64(100 + index % 60 * 10)))
        }
        let computed = try InvoiceMath.compute(inputs)
        let invoice = sheet.invoice
        sheet.invoice = Invoice(id: invoice.id, publicID: invoice.publicID, customerID: invoice.customerID, type: .ar, number: invoice.number,
                                status: .issued, deliveryStatus: .sent, currency: invoice.currency, issueDate: invoice.issueDate,
                                dueDate: invoice.dueDate, notes: nil, allowPartialPayments: false, minimumPaymentAmount: nil,
                                lines: computed.lines, totals: computed.totals, amountPaid: 0, amountCredited: 0,
                                createdAt: invoice.createdAt, issuedAt: invoice.issuedAt)
        let pages = layout(sheet).pages()
        let all = pages.flatMap(texts)
        for index in 0..<200 { #expect(all.contains("Item \(index)")) }
        #expect(all.filter { $0 == "VAT (S)" }.count == 60)
        for page in pages where texts(page).contains("VAT (S)") {
            #expect(texts(page).contains("Category"), "a page with summary rows repeats the summary's column heads")
        }
        #expect(pages.filter { texts($0).contains("VAT (S)") }.count >= 1)
        #expect(texts(pages.last!).contains("Bank transfer"))
    }

    @Test func unitsReadLikePeopleWriteThem() {
        let one = Quantity(tenThousandths: 10_000), three = Quantity(tenThousandths: 30_000)
        #expect(Formatting.quantity(three, unit: .one) == "3")
        #expect(Formatting.quantity(three, unit: UnitCode("HUR")!) == "3 h")
        #expect(Formatting.quantity(three, unit: UnitCode("DAY")!) == "3 days")
        #expect(Formatting.quantity(one, unit: UnitCode("DAY")!) == "1 day")
        #expect(Formatting.quantity(Quantity(tenThousandths: 25_000), unit: UnitCode("KGM")!) == "2.5 kg")
        #expect(Formatting.unit(UnitCode("MTR")!) == "m" && Formatting.unit(UnitCode("LTR")!) == "l" && Formatting.unit(UnitCode("MON")!) == "months")
        #expect(Formatting.unit(UnitCode("XPK")!) == "XPK")
        #expect(Formatting.vat(.reverseCharge, TaxRate(hundredthsOfPercent: 0)) == "0% AE")
    }

    @Test func aNewAddressOrBankAccountMakesANewPDF() throws {
        let base = try LegalInvoiceFixtures.sheet()
        let again = try LegalInvoiceFixtures.sheet()
        #expect(base.contentHash == again.contentHash)
        var moved = base
        moved.company.address = PostalAddress(lines: ["Neue Straße 1"], postalCode: "10115", city: "Berlin", country: CountryCode("DE")!)
        var rebanked = base
        rebanked.company.bankAccount = nil
        var referenced = base
        referenced.buyer.buyerReference = "991-0001"
        var coded = base
        coded.paymentCode = LegalInvoiceFixtures.handMadeCode
        let hashes = Set([base, moved, rebanked, referenced, coded].map(\.contentHash))
        #expect(hashes.count == 5)
        #expect(base.canonicalText.hasPrefix("v2"))
    }
}
