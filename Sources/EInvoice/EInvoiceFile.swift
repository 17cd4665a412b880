import Billing
import BillportCore

/// An invoice's or credit note's e-invoice file, or why there is none, from what is stored.
public enum EInvoiceFile {
    /// Why no e-invoice is made: sentences a tenant can act on.
    public struct Unavailable: Error, Sendable, Equatable, CustomStringConvertible {
        public let reasons: [String]
        public init(_ reasons: [String]) { self.reasons = reasons }
        public var description: String { reasons.joined(separator: " ") }
    }

    /// The CII XML of the invoice behind `parts`. Bills the tenant received (AP) get none, and
    /// none is made while the tenant's company profile lacks what EN 16931 needs or the
    /// document would break a rule (`EInvoiceReadiness`).
    public static func invoice(_ parts: DocumentParts, profile: EInvoiceProfile) throws(Unavailable) -> [UInt8] {
        guard parts.invoice.type == .ar else { throw Unavailable(["A bill you received (AP) has no e-invoice from Billport."]) }
        if parts.invoice.parties == nil, !parts.company.missingForEInvoices.isEmpty {
            throw Unavailable(["E-invoices need your company's \(parts.company.missingForEInvoices.joined(separator: ", ")): set them with PATCH /api/settings/company."])
        }
        return try xml(InvoiceDocument(invoice: parts.invoice, current: parts.parties), profile: profile)
    }

    /// The CII XML (type 381) of a credit note on the invoice behind `parts`.
    public static func creditNote(_ note: CreditNote, _ parts: DocumentParts, profile: EInvoiceProfile) throws(Unavailable) -> [UInt8] {
        guard let document = InvoiceDocument(creditNote: note, invoice: parts.invoice, parties: parts.parties) else {
            throw Unavailable(["This credit note was made before credit notes had lines, so it has no e-invoice."])
        }
        return try xml(document, profile: profile)
    }

    private static func xml(_ document: InvoiceDocument, profile: EInvoiceProfile) throws(Unavailable) -> [UInt8] {
        let problems = EInvoiceReadiness.problems(document, profile: profile)
        guard problems.isEmpty else { throw Unavailable(problems) }
        return CIIWriter.xml(document, profile: profile)
    }
}
