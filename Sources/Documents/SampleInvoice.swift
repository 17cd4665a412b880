import BillportCore
import Foundation
import Billing

/// A realistic invoice in many scripts, for `billport sample-pdf`, the benchmark and tests.
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

    /// A sheet with `lines` lines (cycling through the descriptions) for "Zoë Müller-Łukasiewicz".
    public static func sheet(lines: Int, logo: [UInt8]? = nil, pageSize: Branding.PageSize = .a4) throws -> InvoiceSheet {
        let parsed = (0..<max(1, lines)).map { index in
            (description: descriptions[index % descriptions.count] + (index >= descriptions.count ? " (\(index + 1))" : ""),
             quantity: Quantity(tenThousandths: Int64(10_000 + (index % 4) * 2_500)), unitPrice: Int64(9_500 + index * 37),
             taxRate: TaxRate(hundredthsOfPercent: index % 3 == 0 ? 700 : 1900))
        }
        let computed = try InvoiceMath.compute(parsed)
        let issued = Date(timeIntervalSince1970: 1_793_577_600) // 2026-11-01
        let invoice = Invoice(
            id: 42, publicID: "inv_sample", customerID: 7, type: .ar, number: "INV-2026-0042", status: .issued, deliveryStatus: .sent,
            currency: Currency(code: "EUR")!, issueDate: CalendarDate(year: 2026, month: 11, day: 1),
            dueDate: CalendarDate(year: 2026, month: 12, day: 1), notes: "Thank you for your business! Danke · Merci · Dziękujemy · Teşekkürler",
            allowPartialPayments: true, minimumPaymentAmount: nil, lines: computed.lines, totals: computed.totals,
            amountPaid: 5_000, amountCredited: 0, createdAt: issued, issuedAt: issued)
        return InvoiceSheet(vendorName: "Demo Consulting GmbH",
                            branding: Branding(brandColor: "#1F6FEB", logo: logo, pageSize: pageSize,
                                               paymentInstructions: "Bank transfer to IBAN DE89 3704 0044 0532 0130 00 (BIC COBADEFFXXX), reference INV-2026-0042."),
                            customerName: "Zoë Müller-Łukasiewicz", customerEmail: "zoe@example.com", invoice: invoice)
    }
}
