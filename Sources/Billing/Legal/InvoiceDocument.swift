import BillportCore
import Foundation

/// Everything a legally complete invoice or credit note states, assembled from the stored
/// invoice, the tenant's company profile and the customer: what the PDF prints and what the
/// e-invoice encodes, from one value so that the two can never disagree.
public struct InvoiceDocument: Sendable, Hashable {
    /// Commercial invoice (UNTDID 1001 code 380) or credit note (381).
    public enum Kind: Sendable, Hashable {
        case invoice, creditNote

        public var typeCode: String { self == .invoice ? "380" : "381" }
    }

    /// Seller or buyer as the document names them.
    public struct Party: Sendable, Hashable {
        public var name: String
        public var address: PostalAddress?
        public var vatID: VATIdentifier?
        /// The seller's national tax number; nil for buyers.
        public var taxNumber: String?
        /// The seller's company register entry; nil for buyers.
        public var registration: String?
        public var contactName: String?
        public var phone: String?
        public var email: String?

        public init(name: String, address: PostalAddress? = nil, vatID: VATIdentifier? = nil, taxNumber: String? = nil,
                    registration: String? = nil, contactName: String? = nil, phone: String? = nil, email: String? = nil) {
            self.name = name
            self.address = address
            self.vatID = vatID
            self.taxNumber = taxNumber
            self.registration = registration
            self.contactName = contactName
            self.phone = phone
            self.email = email
        }
    }

    /// The invoice a credit note corrects.
    public struct InvoiceReference: Sendable, Hashable {
        public var number: String
        public var issueDate: CalendarDate

        public init(number: String, issueDate: CalendarDate) {
            self.number = number
            self.issueDate = issueDate
        }
    }

    public var kind: Kind
    public var number: String
    public var issueDate: CalendarDate
    /// Invoices only; credit notes are not payable.
    public var dueDate: CalendarDate?
    public var currency: Currency
    public var seller: Party
    public var buyer: Party
    /// The reference the buyer asked for (German public buyers: the Leitweg-ID).
    public var buyerReference: String?
    public var supply: SupplyTime?
    public var paymentTerms: String?
    /// Free text for the buyer (the invoice's notes, the credit note's reason).
    public var note: String?
    public var lines: [InvoiceLine]
    public var allowanceCharges: [AllowanceCharge]
    public var totals: InvoiceTotals
    /// Paid before this document was made (online payments); credit notes are separate documents.
    public var amountPaid: Int64
    public var bankAccount: BankAccount?
    /// Credit notes: the invoice they correct.
    public var correctedInvoice: InvoiceReference?

    public init(kind: Kind, number: String, issueDate: CalendarDate, dueDate: CalendarDate?, currency: Currency, seller: Party,
                buyer: Party, buyerReference: String?, supply: SupplyTime?, paymentTerms: String?, note: String?,
                lines: [InvoiceLine], allowanceCharges: [AllowanceCharge], totals: InvoiceTotals, amountPaid: Int64,
                bankAccount: BankAccount?, correctedInvoice: InvoiceReference?) {
        self.kind = kind
        self.number = number
        self.issueDate = issueDate
        self.dueDate = dueDate
        self.currency = currency
        self.seller = seller
        self.buyer = buyer
        self.buyerReference = buyerReference
        self.supply = supply
        self.paymentTerms = paymentTerms
        self.note = note
        self.lines = lines
        self.allowanceCharges = allowanceCharges
        self.totals = totals
        self.amountPaid = amountPaid
        self.bankAccount = bankAccount
        self.correctedInvoice = correctedInvoice
    }

    /// What is still to pay on this document (never negative).
    public var amountDue: Int64 { kind == .creditNote ? 0 : MoneyArithmetic.remainder(of: totals.total, less: amountPaid) }

    /// The seller as the tenant's company profile describes it (the tenant's display name when no legal name is set).
    public static func seller(_ company: CompanyProfile, tenantName: String) -> Party {
        Party(name: company.legalName ?? tenantName, address: company.address, vatID: company.vatID, taxNumber: company.taxNumber,
              registration: company.registration, contactName: company.contact.name, phone: company.contact.phone,
              email: company.contact.email)
    }

    /// The buyer: the customer's name and email with its legal details.
    public static func buyer(_ customer: Customer, details: BuyerDetails) -> Party {
        Party(name: customer.name, address: details.address, vatID: details.vatID, email: customer.email)
    }

    /// The document of an invoice, from the parties it was issued to (`Invoice.parties`) or, for a
    /// draft, `current`.
    public init(invoice: Invoice, current: InvoiceParties) {
        let parties = invoice.parties ?? current
        self.init(invoice: invoice, seller: parties.seller, buyer: parties.buyer, buyerReference: parties.buyerReference,
                  bankAccount: parties.bankAccount)
    }

    /// The document of an invoice.
    public init(invoice: Invoice, seller: Party, buyer: Party, buyerReference: String?, bankAccount: BankAccount?) {
        self.init(kind: .invoice, number: invoice.number, issueDate: invoice.issueDate, dueDate: invoice.dueDate, currency: invoice.currency,
                  seller: seller, buyer: buyer, buyerReference: buyerReference, supply: invoice.supply, paymentTerms: invoice.paymentTerms,
                  note: invoice.notes, lines: invoice.lines, allowanceCharges: invoice.allowanceCharges, totals: invoice.totals,
                  amountPaid: min(invoice.amountPaid, invoice.totals.total), bankAccount: bankAccount, correctedInvoice: nil)
    }
}

extension InvoiceDocument {
    /// The document of a credit note: the parties of the invoice it corrects, its own number,
    /// date, lines and totals, its reason as the note; nil for a credit note without lines
    /// (made before credit notes were documents).
    public init?(creditNote: CreditNote, invoice: Invoice, parties: InvoiceParties) {
        guard let totals = creditNote.totals, !creditNote.lines.isEmpty else { return nil }
        self.init(kind: .creditNote, number: creditNote.number, issueDate: creditNote.issueDate, dueDate: nil, currency: creditNote.currency,
                  seller: parties.seller, buyer: parties.buyer, buyerReference: parties.buyerReference, supply: invoice.supply, paymentTerms: nil,
                  note: creditNote.reason, lines: creditNote.lines, allowanceCharges: [], totals: totals, amountPaid: 0, bankAccount: nil,
                  correctedInvoice: InvoiceReference(number: invoice.number, issueDate: invoice.issueDate))
    }
}
