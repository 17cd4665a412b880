import BillportCore
import Foundation
import PDF
import Billing

extension PDFColor {
    /// Body text: not quite black.
    static let ink = PDFColor(red: 0.1, green: 0.1, blue: 0.12)
    static let grey = PDFColor(red: 0.42, green: 0.44, blue: 0.48)
    static let rule = PDFColor(red: 0.85, green: 0.86, blue: 0.88)
    /// Billport's default brand colour.
    static let billportBlue = PDFColor(red: 0.12, green: 0.37, blue: 0.74)
}

/// One drawing step on a page; coordinates in points from the top-left, text y is the baseline.
public enum DrawOp: Sendable, Hashable {
    case text(String, x: Double, y: Double, bold: Bool, size: Double, color: PDFColor)
    case line(x1: Double, y1: Double, x2: Double, y2: Double, width: Double, color: PDFColor)
    case rectangle(x: Double, y: Double, width: Double, height: Double, fill: PDFColor)
    case logo(x: Double, y: Double, width: Double, height: Double)
}

/// A page's size and what is drawn on it.
public struct LaidOutPage: Sendable, Hashable {
    public let width: Double
    public let height: Double
    public var ops: [DrawOp] = []
}

/// What the layout prints: the legal document and how the tenant presents it. Invoices and
/// credit notes differ only in what they carry here.
struct PrintedDocument {
    var document: InvoiceDocument
    var vendorName: String
    var branding: Branding
    /// "Invoice", "Bill" or "Credit note".
    var title: String
    /// The badge beside the title (invoices only).
    var status: InvoiceStatus?
    /// Paid, credited and due under the total (invoices only).
    var paymentRows: [PaymentSummary.Row]
    var paymentCode: PaymentCodeMatrix?
    /// Whether the seller block is printed: the tenant filled in more than its name.
    var showsSeller: Bool

    init(_ sheet: InvoiceSheet) {
        let invoice = sheet.invoice
        // A bill comes from a supplier: the tenant's own legal details and bank account are not its seller's.
        let isBill = invoice.type == .ap
        var document = sheet.document
        if isBill { document.bankAccount = nil }
        self.document = document
        vendorName = sheet.vendorName
        branding = sheet.branding
        title = isBill ? "Bill" : "Invoice"
        status = invoice.status
        paymentRows = PaymentSummary.rows(of: invoice)
        paymentCode = isBill ? nil : sheet.paymentCode
        showsSeller = !isBill && Self.hasDetails(document.seller)
    }

    init(_ sheet: CreditNoteSheet) {
        document = sheet.document
        vendorName = sheet.vendorName
        branding = sheet.branding
        title = "Credit note"
        status = nil
        paymentRows = []
        paymentCode = nil
        showsSeller = Self.hasDetails(sheet.document.seller)
    }

    var isCreditNote: Bool { document.kind == .creditNote }

    private static func hasDetails(_ party: InvoiceDocument.Party) -> Bool {
        party.address != nil || party.vatID != nil || party.taxNumber != nil || party.registration != nil
            || party.contactName != nil || party.phone != nil || party.email != nil
    }
}

/// The invoice and credit note layout as pure rules: header with logo and brand colour, seller
/// and buyer blocks, dates, a line table whose header repeats on every page and whose rows never
/// split, totals, the VAT summary per category and rate with its exemption notes, payment terms,
/// bank details and the payment QR code, notes, "Page N of M".
public struct InvoiceLayout {
    let content: PrintedDocument
    let measurer: any TextMeasurer
    /// The logo's pixel size, when there is one the PDF writer accepted.
    let logoPixels: (width: Int, height: Int)?

    let margin = 48.0
    let bodySize = 9.5
    let leading = 12.5
    let width: Double
    let height: Double
    let brand: PDFColor

    public init(sheet: InvoiceSheet, measurer: any TextMeasurer, logoPixels: (width: Int, height: Int)?) {
        self.init(content: PrintedDocument(sheet), measurer: measurer, logoPixels: logoPixels)
    }

    public init(creditNote: CreditNoteSheet, measurer: any TextMeasurer, logoPixels: (width: Int, height: Int)?) {
        self.init(content: PrintedDocument(creditNote), measurer: measurer, logoPixels: logoPixels)
    }

    init(content: PrintedDocument, measurer: any TextMeasurer, logoPixels: (width: Int, height: Int)?) {
        self.content = content
        self.measurer = measurer
        self.logoPixels = logoPixels
        (width, height) = content.branding.pageSize == .letter ? (612, 792) : (595.28, 841.89)
        brand = content.branding.brandColor.flatMap(PDFColor.init(hex:)) ?? .billportBlue
    }

    var document: InvoiceDocument { content.document }

    // Columns: description takes what the numbers leave.
    var right: Double { width - margin }
    var amountRight: Double { right - 4 }
    var taxRight: Double { amountRight - 92 }
    var unitRight: Double { taxRight - 52 }
    var quantityRight: Double { unitRight - 84 }
    var descriptionWidth: Double { quantityRight - 66 - (margin + 4) }
    var footerTop: Double { height - margin + 8 }
    /// Where content stops on every page: the footer's rule and some air.
    var contentBottom: Double { footerTop - 12 }
    /// Where content starts on every page after the first.
    var continuationTop: Double { margin + 8 }

    /// The pages, in order.
    public func pages() -> [LaidOutPage] {
        var pages: [LaidOutPage] = []
        var page = LaidOutPage(width: width, height: height)
        var y = header(on: &page)
        for segment in segments() {
            if y > continuationTop { y += segment.gap }
            for (index, row) in segment.rows.enumerated() {
                var needsHeader = index == 0
                let headerHeight = needsHeader ? segment.header?.height ?? 0 : 0
                if y + headerHeight + row.height > contentBottom, y > continuationTop {
                    pages.append(page)
                    page = LaidOutPage(width: width, height: height)
                    y = continuationTop
                    needsHeader = true
                }
                if needsHeader, let header = segment.header { y = draw(header, on: &page, at: y) }
                y = draw(row, on: &page, at: y)
            }
        }
        pages.append(page)
        return pages.enumerated().map { index, page in footer(page, number: index + 1, of: pages.count) }
    }

    /// Everything under the header, in reading order.
    func segments() -> [Segment] {
        var segments: [Segment] = []
        let reason = content.isCreditNote ? paragraph("Reason", document.note) : []
        segments += reason
        segments.append(lineTable(gap: reason.isEmpty ? 0 : 12))
        segments += totalsAndSummary()
        if !content.isCreditNote {
            segments += paragraph("Notes", document.note)
            segments += paragraph("Payment terms", document.paymentTerms)
            segments += paymentBox()
            segments += paragraph("Payment", content.branding.paymentInstructions)
        }
        return segments
    }

    // MARK: Pieces

    func text(_ string: String, _ x: Double, _ y: Double, bold: Bool = false, size: Double? = nil, color: PDFColor = .ink) -> DrawOp {
        .text(string, x: x, y: y, bold: bold, size: size ?? bodySize, color: color)
    }

    func rightAligned(_ string: String, _ right: Double, _ y: Double, bold: Bool = false, size: Double? = nil, color: PDFColor = .ink) -> DrawOp {
        let size = size ?? bodySize
        return text(string, right - measurer.width(of: string, bold: bold, size: size), y, bold: bold, size: size, color: color)
    }

    func footer(_ page: LaidOutPage, number: Int, of count: Int) -> LaidOutPage {
        var page = page
        let y = height - margin + 20
        page.ops.append(.line(x1: margin, y1: y - 12, x2: right, y2: y - 12, width: 0.4, color: .rule))
        page.ops.append(text("\(content.vendorName) · \(content.title) \(document.number)", margin, y, size: 7.5, color: .grey))
        page.ops.append(rightAligned("Page \(number) of \(count)", right, y, size: 7.5, color: .grey))
        return page
    }
}
