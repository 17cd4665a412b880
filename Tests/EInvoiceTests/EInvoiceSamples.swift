import Billing
import BillportCore
import EInvoice

/// Documents as Billport makes them: lines and totals through `InvoiceMath`, parties from
/// validated identifiers, one per case the e-invoice must get right.
enum EInvoiceSamples {
    static let eur = Currency(code: "EUR")!

    static func address(_ lines: [String], _ postalCode: String?, _ city: String, _ country: String) -> PostalAddress {
        PostalAddress(lines: lines, postalCode: postalCode, city: city, country: CountryCode(country)!)
    }

    static func seller() throws -> InvoiceDocument.Party {
        InvoiceDocument.Party(name: "Acme Software GmbH", address: address(["Friedrichstraße 123", "3. OG"], "10117", "Berlin", "DE"),
                              vatID: try VATIdentifier("DE123456789", field: "vatId"), taxNumber: "29/815/08150",
                              registration: "HRB 123456 B, Amtsgericht Charlottenburg", contactName: "Erika Mustermann",
                              phone: "+49 30 1234567", email: "billing@acme.example")
    }

    static func buyer() throws -> InvoiceDocument.Party {
        InvoiceDocument.Party(name: "Client SARL", address: address(["12 rue de la Paix"], "75002", "Paris", "FR"),
                              vatID: try VATIdentifier("FR40303265045", field: "vatId"), email: "compta@client.example")
    }

    static func bankAccount() throws -> BankAccount {
        BankAccount(holder: "Acme Software GmbH", iban: try IBAN("DE89 3704 0044 0532 0130 00", field: "iban"),
                    bic: try BIC("COBADEFFXXX", field: "bic"))
    }

    static func line(_ description: String, _ quantity: Int64, _ unitPrice: Int64, rate: Int64 = 1900, category: VATCategory? = nil,
                     reason: String? = nil, unit: String = "C62") -> InvoiceMath.LineInput {
        InvoiceMath.LineInput(description: description, quantity: Quantity(tenThousandths: quantity), unitPrice: unitPrice,
                              taxRate: TaxRate(hundredthsOfPercent: rate), unitCode: UnitCode(unit)!, vatCategory: category,
                              exemptionReason: reason)
    }

    /// A document whose amounts `InvoiceMath` computed from `lines` (quantities in ten-thousandths).
    static func document(_ number: String, currency: Currency = eur, kind: InvoiceDocument.Kind = .invoice,
                         lines: [InvoiceMath.LineInput], allowanceCharges: [AllowanceCharge] = [],
                         seller: InvoiceDocument.Party? = nil, buyer: InvoiceDocument.Party? = nil, buyerReference: String? = nil,
                         supply: SupplyTime? = .date(CalendarDate(year: 2026, month: 11, day: 30)), note: String? = nil,
                         amountPaid: Int64 = 0, corrected: InvoiceDocument.InvoiceReference? = nil) throws -> InvoiceDocument {
        let (computed, totals) = try InvoiceMath.compute(lines, allowanceCharges: allowanceCharges, step: currency.amountStep)
        return InvoiceDocument(kind: kind, number: number, issueDate: CalendarDate(year: 2026, month: 12, day: 3),
                               dueDate: kind == .invoice ? CalendarDate(year: 2026, month: 12, day: 17) : nil, currency: currency,
                               seller: try seller ?? self.seller(), buyer: try buyer ?? self.buyer(), buyerReference: buyerReference,
                               supply: supply, paymentTerms: kind == .invoice ? "Payable within 14 days without deduction" : nil,
                               note: note, lines: computed, allowanceCharges: allowanceCharges, totals: totals, amountPaid: amountPaid,
                               bankAccount: try bankAccount(), correctedInvoice: corrected)
    }

    /// Every case the validators check, by name, with the profile it is written for.
    static func all() throws -> [(name: String, profile: EInvoiceProfile, document: InvoiceDocument)] {
        let usBuyer = InvoiceDocument.Party(name: "Globex Corp.", address: address(["500 Market Street"], "94105", "San Francisco", "US"),
                                            email: "ap@globex.example")
        var noVATSeller = try seller()
        noVATSeller.vatID = nil
        noVATSeller.registration = nil
        var twoHundred: [InvoiceMath.LineInput] = []
        for index in 0..<200 {
            twoHundred.append(line("Item \(index + 1)", index % 2 == 0 ? 15_000 : 3_333, 1_999 + Int64(index) * 7, rate: index % 3 == 0 ? 700 : 1900))
        }
        let hostile = #"Tags <b>&amp; "quotes" 'apostrophes' 🧾 ✓ فاتورة עברית"# + "\u{1}\u{8}\u{FFFE} end"
        var hostileBuyer = try buyer()
        hostileBuyer.name = #"O'Brien & <Sons> "Ltd" 🧾 شركة"#
        return [
            ("standard-19", .en16931, try document("INV-2026-0001", lines: [line("Consulting", 80_000, 12_000, unit: "HUR"),
                                                                          line("Licence", 10_000, 49_900)])),
            ("mixed-19-7-allowance-charge", .en16931, try document(
                "INV-2026-0002",
                lines: [line("Software", 20_000, 10_000), line("Book", 30_000, 1_999, rate: 700), line("Training", 15_000, 33_333)],
                allowanceCharges: [AllowanceCharge(kind: .allowance, amount: 1_000, reason: "Loyalty discount", vatCategory: .standard,
                                                   taxRate: TaxRate(hundredthsOfPercent: 1900)),
                                   AllowanceCharge(kind: .charge, amount: 490, reason: "Shipping", vatCategory: .standard,
                                                   taxRate: TaxRate(hundredthsOfPercent: 700))],
                supply: .period(start: CalendarDate(year: 2026, month: 11, day: 1), end: CalendarDate(year: 2026, month: 11, day: 30)),
                amountPaid: 5_000)),
            ("reverse-charge-AE", .en16931, try document("INV-2026-0003", lines: [line("Installation services", 10_000, 250_000, rate: 0,
                                                                                        category: .reverseCharge)])),
            ("exempt-E", .en16931, try document("INV-2026-0004", lines: [line("Medical treatment", 10_000, 8_000, rate: 0, category: .exempt,
                                                                               reason: "Exempt under § 4 Nr. 14 UStG")])),
            ("intra-community-K", .en16931, try document("INV-2026-0005", lines: [line("Machine parts", 40_000, 12_500, rate: 0,
                                                                                        category: .intraCommunity)])),
            ("export-G", .en16931, try document("INV-2026-0006", lines: [line("Export goods", 20_000, 75_000, rate: 0, category: .export)],
                                                buyer: usBuyer)),
            ("outside-scope-O", .en16931, try document("INV-2026-0007", lines: [line("Membership fee", 10_000, 12_000, rate: 0,
                                                                                      category: .outsideScope)])),
            ("credit-note-381", .en16931, try document("CN-2026-0001", kind: .creditNote, lines: [line("Refund: licence", 10_000, 49_900)],
                                                       note: "Licence returned within 14 days",
                                                       corrected: .init(number: "INV-2026-0001", issueDate: CalendarDate(year: 2026, month: 11, day: 2)))),
            ("jpy-0-decimals", .en16931, try document("INV-2026-0008", currency: Currency(code: "JPY")!,
                                                      lines: [line("Widget", 30_000, 1_234, rate: 1000), line("Gadget", 15_000, 999, rate: 800)])),
            ("kwd-3-decimals", .en16931, try document("INV-2026-0009", currency: Currency(code: "KWD")!,
                                                      lines: [line("Service", 30_000, 1_275, rate: 500), line("Parts", 3_333, 2_999, rate: 500)],
                                                      amountPaid: 1_235)),
            ("200-lines", .en16931, try document("INV-2026-0010", lines: twoHundred)),
            ("xrechnung-leitweg-id", .xRechnung, try document("INV-2026-0011", lines: [line("Beratung", 25_000, 9_500, unit: "HUR")],
                                                             buyerReference: "04011000-12345-03")),
            ("hostile-texts", .en16931, try document("INV-<&>-\"12\"", lines: [line(hostile, 10_000, 100), line("Zeile\nzwei", 10_000, 200)],
                                                     buyer: hostileBuyer, note: hostile)),
            ("seller-with-tax-number-only", .en16931, try document("INV-2026-0012", lines: [line("Service", 10_000, 10_000)],
                                                                   seller: noVATSeller)),
        ]
    }
}

