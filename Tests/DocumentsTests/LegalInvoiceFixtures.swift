import BillportCore
@testable import Documents
import Foundation
import Billing

/// Invoices and credit notes with everything the law asks, for the layout and PDF tests.
enum LegalInvoiceFixtures {
    static let exemptReason = "Exempt under § 4 Nr. 21 UStG (training)"

    /// Four lines in four VAT groups (19 %, 7 %, reverse charge, exempt), a discount and freight.
    static func sheet(lines extra: Int = 0, paymentCode: PaymentCodeMatrix? = nil) throws -> InvoiceSheet {
        var inputs = [
            InvoiceMath.LineInput(description: "Architecture review", quantity: Quantity(tenThousandths: 120_000), unitPrice: 15_000,
                                  taxRate: TaxRate(hundredthsOfPercent: 1900), unitCode: UnitCode("HUR")!),
            InvoiceMath.LineInput(description: "Printed handbook", quantity: Quantity(tenThousandths: 30_000), unitPrice: 2_990,
                                  taxRate: TaxRate(hundredthsOfPercent: 700), unitCode: UnitCode("C62")!),
            InvoiceMath.LineInput(description: "Cloud hosting for the Vienna branch", quantity: Quantity(tenThousandths: 20_000), unitPrice: 40_000,
                                  taxRate: TaxRate(hundredthsOfPercent: 0), unitCode: UnitCode("MON")!, vatCategory: .reverseCharge),
            InvoiceMath.LineInput(description: "Workshop for apprentices", quantity: Quantity(tenThousandths: 10_000), unitPrice: 80_000,
                                  taxRate: TaxRate(hundredthsOfPercent: 0), unitCode: UnitCode("DAY")!, vatCategory: .exempt,
                                  exemptionReason: exemptReason),
        ]
        for index in 0..<extra {
            inputs.append(InvoiceMath.LineInput(description: "Support ticket \(index + 1)", quantity: Quantity(tenThousandths: 10_000),
                                                unitPrice: 1_000 + Int64(index), taxRate: TaxRate(hundredthsOfPercent: index % 2 == 0 ? 1900 : 700)))
        }
        let allowances = [
            AllowanceCharge(kind: .allowance, amount: 10_000, reason: "Loyalty discount", vatCategory: .standard, taxRate: TaxRate(hundredthsOfPercent: 1900)),
            AllowanceCharge(kind: .charge, amount: 1_500, reason: "Freight", vatCategory: .standard, taxRate: TaxRate(hundredthsOfPercent: 700)),
        ]
        let computed = try InvoiceMath.compute(inputs, allowanceCharges: allowances)
        let issued = Date(timeIntervalSince1970: 1_793_664_000) // 2026-11-02
        let invoice = Invoice(id: 7, publicID: "inv_legal", customerID: 3, type: .ar, number: "INV-2026-0107", status: .issued, deliveryStatus: .sent,
                              currency: Currency(code: "EUR")!, issueDate: CalendarDate(year: 2026, month: 11, day: 2),
                              dueDate: CalendarDate(year: 2026, month: 12, day: 2), notes: "Thank you!", allowPartialPayments: false,
                              minimumPaymentAmount: nil, lines: computed.lines, allowanceCharges: allowances, totals: computed.totals,
                              supply: .period(start: CalendarDate(year: 2026, month: 10, day: 1), end: CalendarDate(year: 2026, month: 10, day: 31)),
                              paymentTerms: "Payable within 14 days without deduction.", amountPaid: 0, amountCredited: 0,
                              createdAt: issued, issuedAt: issued)
        return InvoiceSheet(vendorName: "Acme", branding: Branding(brandColor: "#AA3300"), customerName: "Nordlicht Analytics AG",
                            customerEmail: "ap@nordlicht.example", invoice: invoice, company: try company(), buyer: try buyer(),
                            paymentCode: paymentCode)
    }

    /// The sample seller: Demo Consulting GmbH in Berlin, with every detail and a bank account.
    static func company() throws -> CompanyProfile { try SampleInvoice.company() }

    static func buyer() throws -> BuyerDetails {
        BuyerDetails(address: PostalAddress(lines: ["Ringstraße 1"], postalCode: "1010", city: "Wien", country: CountryCode("AT")!),
                     vatID: try VATIdentifier("ATU12345678", field: "vatId"), buyerReference: "04011000-12345-34")
    }

    /// A credit note correcting `INV-2026-0107` of 2026-11-02 by one line at 19 %.
    static func creditNote() throws -> CreditNoteSheet {
        let sheet = try sheet()
        let computed = try InvoiceMath.compute([
            InvoiceMath.LineInput(description: "Architecture review (2 hours not delivered)", quantity: Quantity(tenThousandths: 20_000),
                                  unitPrice: 15_000, taxRate: TaxRate(hundredthsOfPercent: 1900), unitCode: UnitCode("HUR")!),
        ])
        var document = sheet.document
        document.kind = .creditNote
        document.number = "CN-2026-0003"
        document.issueDate = CalendarDate(year: 2026, month: 11, day: 20)
        document.dueDate = nil
        document.supply = nil
        document.paymentTerms = nil
        document.note = "Two hours of the review were not delivered."
        document.lines = computed.lines
        document.allowanceCharges = []
        document.totals = computed.totals
        document.amountPaid = 0
        document.bankAccount = nil
        document.correctedInvoice = .init(number: "INV-2026-0107", issueDate: CalendarDate(year: 2026, month: 11, day: 2))
        return CreditNoteSheet(vendorName: "Acme", branding: Branding(brandColor: "#AA3300"), document: document)
    }

    /// A 25×25 pattern: finder-like squares in three corners, a chequered middle. Not a readable
    /// QR code, but every module is known, so a rendering can be compared module by module.
    static let handMadeCode: PaymentCodeMatrix = {
        let size = 25
        var dark = [Bool](repeating: false, count: size * size)
        for y in 0..<size {
            for x in 0..<size {
                let finder = [(0, 0), (size - 7, 0), (0, size - 7)].contains { ox, oy in
                    let (dx, dy) = (x - ox, y - oy)
                    guard (0..<7).contains(dx), (0..<7).contains(dy) else { return false }
                    return dx == 0 || dx == 6 || dy == 0 || dy == 6 || ((2...4).contains(dx) && (2...4).contains(dy))
                }
                let middle = (8..<size - 8).contains(x) && (8..<size - 8).contains(y) && (x * 7 + y * 3) % 5 < 2
                dark[y * size + x] = finder || middle || (x == size - 1 && y == size - 1)
            }
        }
        return PaymentCodeMatrix(size: size, dark: dark)!
    }()
}
