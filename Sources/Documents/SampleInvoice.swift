import BillportCore
import Foundation
import Billing
import EInvoice

/// A realistic, legally complete invoice in many scripts, for `billport sample-pdf`, the
/// benchmark and tests: seller and buyer with addresses and VAT ids, a service period, two VAT
/// rates, units, payment terms and a bank account.
public enum SampleInvoice {
    public static let descriptions = [
        "Consulting, November — architecture review and workshop",
        "Reisekosten München–Köln (Bahn, 2. Klasse)",
        "Prestation de conseil : migration des données clients",
        "Usługi doradcze — wdrożenie systemu płatności",
        "Danışmanlık hizmeti: güvenlik denetimi ve raporlama",
        "Συμβουλευτικές υπηρεσίες — ανάλυση απαιτήσεων",
        "Консультационные услуги: настройка отчётности",
        "Licence fee, 12 seats × 1 month",
    ]

    /// The seller: Demo Consulting GmbH in Berlin, with VAT id, tax number, register entry, contact and bank account.
    public static func company() throws -> CompanyProfile {
        CompanyProfile(
            legalName: "Demo Consulting GmbH",
            address: PostalAddress(lines: ["Friedrichstraße 123", "3. OG"], postalCode: "10117", city: "Berlin", country: CountryCode("DE")!),
            vatID: try VATIdentifier("DE123456789", field: "vatId"), taxNumber: "37/123/45678",
            registration: "HRB 123456 B, Amtsgericht Charlottenburg",
            contact: .init(name: "Jana Schmidt", phone: "+49 30 1234567", email: "billing@demo-consulting.example"),
            bankAccount: BankAccount(holder: "Demo Consulting GmbH", iban: try IBAN("DE89370400440532013000", field: "iban"),
                                     bic: try BIC("COBADEFFXXX", field: "bic")))
    }

    /// The buyer's address in Munich, VAT id and purchase order reference.
    public static func buyer() throws -> BuyerDetails {
        BuyerDetails(address: PostalAddress(lines: ["Nordlicht Analytics AG", "Müllerstraße 42"], postalCode: "80469", city: "München",
                                            country: CountryCode("DE")!),
                     vatID: try VATIdentifier("DE987654321", field: "vatId"), buyerReference: "PO-2026-1138")
    }

    /// A sheet with `lines` lines (cycling through the descriptions, hours, days and pieces, 19 % and 7 %)
    /// for "Zoë Müller-Łukasiewicz"; `paymentCode` is the EPC QR code to print, when the caller has an encoder.
    public static func sheet(lines: Int, logo: [UInt8]? = nil, pageSize: Branding.PageSize = .a4,
                             paymentCode: PaymentCodeMatrix? = nil) throws -> InvoiceSheet {
        let units = ["HUR", "C62", "DAY", "C62"].map { UnitCode($0)! }
        let parsed = (0..<max(1, lines)).map { index in
            InvoiceMath.LineInput(description: descriptions[index % descriptions.count] + (index >= descriptions.count ? " (\(index + 1))" : ""),
                                  quantity: Quantity(tenThousandths: Int64(10_000 + (index % 4) * 2_500)), unitPrice: Int64(9_500 + index * 37),
                                  taxRate: TaxRate(hundredthsOfPercent: index % 3 == 0 ? 700 : 1900), unitCode: units[index % units.count])
        }
        let computed = try InvoiceMath.compute(parsed)
        let issued = Date(timeIntervalSince1970: 1_793_577_600) // 2026-11-01
        let invoice = Invoice(
            id: 42, publicID: "inv_sample", customerID: 7, type: .ar, number: "INV-2026-0042", status: .issued, deliveryStatus: .sent,
            currency: Currency(code: "EUR")!, issueDate: CalendarDate(year: 2026, month: 11, day: 1),
            dueDate: CalendarDate(year: 2026, month: 12, day: 1), notes: "Thank you for your business! Danke · Merci · Dziękujemy · Teşekkürler",
            allowPartialPayments: true, minimumPaymentAmount: nil, lines: computed.lines, totals: computed.totals,
            supply: .period(start: CalendarDate(year: 2026, month: 10, day: 1), end: CalendarDate(year: 2026, month: 10, day: 31)),
            paymentTerms: "Payable within 30 days of the invoice date without deduction.",
            amountPaid: 5_000, amountCredited: 0, createdAt: issued, issuedAt: issued)
        return InvoiceSheet(vendorName: "Demo Consulting", branding: Branding(brandColor: "#1F6FEB", logo: logo, pageSize: pageSize),
                            customerName: "Zoë Müller-Łukasiewicz", customerEmail: "zoe@example.com", invoice: invoice,
                            company: try company(), buyer: try buyer(), paymentCode: paymentCode)
    }

    /// The sample as Billport serves a real one: with its EPC payment code and its Factur-X XML,
    /// so the PDF is PDF/A-3b.
    public static func served(lines: Int, logo: [UInt8]? = nil, pageSize: Branding.PageSize = .a4) throws -> InvoiceSheet {
        var sheet = try sheet(lines: lines, logo: logo, pageSize: pageSize)
        sheet.paymentCode = EPCPaymentCode.matrix(for: sheet.invoice, account: sheet.document.bankAccount).map(PaymentCodeMatrix.init)
        sheet.eInvoiceXML = CIIWriter.xml(sheet.document, profile: .en16931)
        return sheet
    }
}
