import Billing
import BillportCore
import Documents
import EInvoice

/// The `einvoice` group: median microseconds to write the CII XML (EN 16931 profile) of the
/// sample invoice with 8 lines (one page) and with 200 lines, and its size.
struct EInvoiceBench {
    func run(_ report: inout BenchReport) throws {
        let seller = InvoiceDocument.Party(
            name: "Demo Consulting GmbH", address: PostalAddress(lines: ["Friedrichstraße 123"], postalCode: "10117", city: "Berlin", country: CountryCode("DE")!),
            vatID: try VATIdentifier("DE123456789", field: "vatId"), registration: "HRB 123456 B", contactName: "Erika Mustermann",
            phone: "+49 30 1234567", email: "billing@demo.example")
        let buyer = InvoiceDocument.Party(
            name: "Zoë Müller-Łukasiewicz", address: PostalAddress(lines: ["Hauptstraße 5"], postalCode: "80331", city: "München", country: CountryCode("DE")!),
            email: "zoe@example.com")
        let account = BankAccount(holder: "Demo Consulting GmbH", iban: try IBAN("DE89370400440532013000", field: "iban"), bic: try BIC("COBADEFFXXX", field: "bic"))
        for (name, lines, target) in [("page1", 8, 1000.0), ("lines200", 200, 0.0)] {
            let invoice = try SampleInvoice.sheet(lines: lines).invoice
            let document = InvoiceDocument(invoice: invoice, seller: seller, buyer: buyer, buyerReference: nil, bankAccount: account)
            let size = CIIWriter.xml(document, profile: .en16931).count
            for _ in 0..<200 { _ = CIIWriter.xml(document, profile: .en16931) }   // warm up
            var times: [Double] = []
            for _ in 0..<2000 {
                let start = ContinuousClock.now
                _ = CIIWriter.xml(document, profile: .en16931)
                times.append(seconds(since: start) * 1_000_000)
            }
            times.sort()
            let median = times[times.count / 2]
            if target > 0 {
                report.add("einvoice.cii.\(name).us", median, "µs", target: "< \(Int(target)) (\(lines) lines, \(size / 1024) KB)", meets: median < target)
            } else {
                report.add("einvoice.cii.\(name).us", median, "µs", target: "\(lines) lines, \(size / 1024) KB")
            }
        }
    }
}
