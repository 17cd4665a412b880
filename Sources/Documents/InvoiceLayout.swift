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

/// The invoice layout as pure rules: header with logo and brand colour, billing details, a line
/// table whose header repeats on every page and whose rows never split, totals per tax rate,
/// notes and payment instructions, "Page N of M".
public struct InvoiceLayout {
    let sheet: InvoiceSheet
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
        self.sheet = sheet
        self.measurer = measurer
        self.logoPixels = logoPixels
        (width, height) = sheet.branding.pageSize == .letter ? (612, 792) : (595.28, 841.89)
        brand = sheet.branding.brandColor.flatMap(PDFColor.init(hex:)) ?? .billportBlue
    }

    // Columns: description takes what the numbers leave.
    var right: Double { width - margin }
    var amountRight: Double { right - 4 }
    var taxRight: Double { amountRight - 92 }
    var unitRight: Double { taxRight - 52 }
    var quantityRight: Double { unitRight - 84 }
    var descriptionWidth: Double { quantityRight - 54 - (margin + 4) }
    var footerTop: Double { height - margin + 8 }

    /// The pages, in order.
    public func pages() -> [LaidOutPage] {
        var pages: [LaidOutPage] = []
        var page = LaidOutPage(width: width, height: height)
        var y = header(on: &page)
        y = tableHeader(on: &page, at: y)
        for line in sheet.invoice.lines {
            let wrapped = TextLayout.wrap(line.description.isEmpty ? "—" : line.description, width: descriptionWidth,
                                          measurer: measurer, size: bodySize)
            let rowHeight = Double(wrapped.count) * leading + 6
            if y + rowHeight > footerTop - 12 {
                pages.append(page)
                page = LaidOutPage(width: width, height: height)
                y = tableHeader(on: &page, at: margin + 8)
            }
            row(line, wrapped: wrapped, on: &page, at: y)
            y += rowHeight
        }
        let totals = totalsBlock()
        if y + totals.height > footerTop - 12 {
            pages.append(page)
            page = LaidOutPage(width: width, height: height)
            y = margin + 8
        }
        y = draw(totals, on: &page, at: y + 8)
        for block in closingBlocks() {
            if y + block.height > footerTop - 12 {
                pages.append(page)
                page = LaidOutPage(width: width, height: height)
                y = margin + 8
            }
            y = draw(block, on: &page, at: y)
        }
        pages.append(page)
        return pages.enumerated().map { index, page in footer(page, number: index + 1, of: pages.count) }
    }

    // MARK: Pieces

    func text(_ string: String, _ x: Double, _ y: Double, bold: Bool = false, size: Double? = nil, color: PDFColor = .ink) -> DrawOp {
        .text(string, x: x, y: y, bold: bold, size: size ?? bodySize, color: color)
    }

    func rightAligned(_ string: String, _ right: Double, _ y: Double, bold: Bool = false, size: Double? = nil, color: PDFColor = .ink) -> DrawOp {
        let size = size ?? bodySize
        return text(string, right - measurer.width(of: string, bold: bold, size: size), y, bold: bold, size: size, color: color)
    }

    /// Brand bar, logo or name, title, number, status, dates, and who is billed.
    func header(on page: inout LaidOutPage) -> Double {
        let invoice = sheet.invoice
        page.ops.append(.rectangle(x: 0, y: 0, width: width, height: 6, fill: brand))
        var y = margin
        if let logoPixels, logoPixels.width > 0, logoPixels.height > 0 {
            let scale = min(150 / Double(logoPixels.width), 54 / Double(logoPixels.height))
            page.ops.append(.logo(x: margin, y: y, width: Double(logoPixels.width) * scale, height: Double(logoPixels.height) * scale))
            page.ops.append(rightAligned(sheet.vendorName, right, y + 14, bold: true, size: 13))
            y += 64
        } else {
            page.ops.append(text(sheet.vendorName, margin, y + 14, bold: true, size: 16, color: brand))
            y += 34
        }
        let title = invoice.type == .ap ? "Bill" : "Invoice"
        page.ops.append(text("\(title) \(invoice.number)", margin, y + 18, bold: true, size: 18))
        page.ops.append(rightAligned(statusLabel, right, y + 16, bold: true, size: 10, color: statusColor))
        y += 36
        let details: [(String, String)] = [
            ("Issue date", invoice.issueDate.description), ("Due date", invoice.dueDate.description), ("Currency", invoice.currency.code),
        ]
        page.ops.append(text("Bill to", margin, y, bold: true, size: 8, color: .grey))
        page.ops.append(text(sheet.customerName, margin, y + leading, bold: true))
        page.ops.append(text(sheet.customerEmail, margin, y + 2 * leading, color: .grey))
        for (index, (label, value)) in details.enumerated() {
            let rowY = y + Double(index) * leading
            page.ops.append(rightAligned(label, right - 90, rowY, size: 8.5, color: .grey))
            page.ops.append(rightAligned(value, right, rowY, bold: true, size: 8.5))
        }
        return y + 3 * leading + 14
    }

    var statusLabel: String { sheet.invoice.status.rawValue.uppercased() }
    var statusColor: PDFColor {
        switch sheet.invoice.status {
        case .paid: return PDFColor(red: 0.1, green: 0.55, blue: 0.28)
        case .cancelled: return PDFColor(red: 0.75, green: 0.2, blue: 0.2)
        case .draft: return .grey
        case .issued: return brand
        }
    }

    func tableHeader(on page: inout LaidOutPage, at y: Double) -> Double {
        page.ops.append(.rectangle(x: margin, y: y, width: right - margin, height: 18, fill: brand))
        let baseline = y + 12.5
        page.ops.append(text("Description", margin + 4, baseline, bold: true, size: 8.5, color: .white))
        page.ops.append(rightAligned("Qty", quantityRight, baseline, bold: true, size: 8.5, color: .white))
        page.ops.append(rightAligned("Unit price", unitRight, baseline, bold: true, size: 8.5, color: .white))
        page.ops.append(rightAligned("Tax", taxRight, baseline, bold: true, size: 8.5, color: .white))
        page.ops.append(rightAligned("Amount", amountRight, baseline, bold: true, size: 8.5, color: .white))
        return y + 18 + 4
    }

    func row(_ line: InvoiceLine, wrapped: [String], on page: inout LaidOutPage, at y: Double) {
        let baseline = y + leading - 2
        for (index, text) in wrapped.enumerated() {
            page.ops.append(self.text(text, margin + 4, baseline + Double(index) * leading))
        }
        let currency = sheet.invoice.currency
        page.ops.append(rightAligned(Formatting.quantity(line.quantity), quantityRight, baseline))
        page.ops.append(rightAligned(Money(minorUnits: line.unitPrice, currency: currency).formatted, unitRight, baseline))
        page.ops.append(rightAligned(Formatting.rate(line.taxRate), taxRight, baseline))
        page.ops.append(rightAligned(Money(minorUnits: line.net, currency: currency).formatted, amountRight, baseline))
        let bottom = y + Double(wrapped.count) * leading + 6
        page.ops.append(.line(x1: margin, y1: bottom - 1, x2: right, y2: bottom - 1, width: 0.4, color: .rule))
    }

    func footer(_ page: LaidOutPage, number: Int, of count: Int) -> LaidOutPage {
        var page = page
        let y = height - margin + 20
        page.ops.append(.line(x1: margin, y1: y - 12, x2: right, y2: y - 12, width: 0.4, color: .rule))
        page.ops.append(text("\(sheet.vendorName) · \(sheet.invoice.type == .ap ? "Bill" : "Invoice") \(sheet.invoice.number)", margin, y, size: 7.5, color: .grey))
        page.ops.append(rightAligned("Page \(number) of \(count)", right, y, size: 7.5, color: .grey))
        return page
    }
}
