import BillportCore
import PDF
import Billing

/// The first page's top: brand bar, logo or name, title and status, then up to three columns:
/// the seller ("From"), the buyer ("Bill to") and the dates.
extension InvoiceLayout {
    var partySize: Double { 8.5 }
    var partyLeading: Double { 11.5 }
    var detailsWidth: Double { 150 }
    var columnGap: Double { 16 }

    /// Draws the header; returns where the content below it starts.
    func header(on page: inout LaidOutPage) -> Double {
        page.ops.append(.rectangle(x: 0, y: 0, width: width, height: 6, fill: brand))
        var y = margin
        if let logoPixels, logoPixels.width > 0, logoPixels.height > 0 {
            let scale = min(150 / Double(logoPixels.width), 54 / Double(logoPixels.height))
            page.ops.append(.logo(x: margin, y: y, width: Double(logoPixels.width) * scale, height: Double(logoPixels.height) * scale))
            page.ops.append(rightAligned(content.vendorName, right, y + 14, bold: true, size: 13))
            y += 64
        } else {
            page.ops.append(text(content.vendorName, margin, y + 14, bold: true, size: 16, color: brand))
            y += 34
        }
        page.ops.append(text("\(content.title) \(document.number)", margin, y + 18, bold: true, size: 18))
        if let status = content.status {
            page.ops.append(rightAligned(status.rawValue.uppercased(), right, y + 16, bold: true, size: 10, color: statusColor(status)))
        }
        y += 36
        if let corrected = document.correctedInvoice {
            page.ops.append(text("Corrects invoice \(corrected.number) of \(corrected.issueDate)", margin, y - 4, size: bodySize, color: .grey))
            y += 14
        }
        let partyWidth = (right - margin - detailsWidth - 2 * columnGap) / 2
        var columns: [[HeaderLine]] = []
        if content.showsSeller { columns.append(partyLines("From", document.seller, width: partyWidth, seller: true)) }
        let buyerWidth = content.showsSeller ? partyWidth : partyWidth * 2 + columnGap
        columns.append(partyLines(content.isCreditNote ? "Customer" : "Bill to", document.buyer, width: buyerWidth, seller: false))
        var bottom = y
        for (index, lines) in columns.enumerated() {
            let x = margin + Double(index) * (partyWidth + columnGap)
            for (row, line) in lines.enumerated() {
                page.ops.append(text(line.text, x, y + Double(row) * partyLeading, bold: line.bold, size: line.size, color: line.color))
            }
            bottom = max(bottom, y + Double(lines.count) * partyLeading)
        }
        bottom = max(bottom, details(on: &page, at: y))
        return bottom + 14
    }

    func statusColor(_ status: InvoiceStatus) -> PDFColor {
        switch status {
        case .paid: return PDFColor(red: 0.1, green: 0.55, blue: 0.28)
        case .cancelled: return PDFColor(red: 0.75, green: 0.2, blue: 0.2)
        case .draft: return .grey
        case .issued: return brand
        }
    }

    struct HeaderLine {
        var text: String
        var bold = false
        var size: Double
        var color: PDFColor = .ink
    }

    /// A party's column: a small heading, the name, the address, its identifiers and contact, each
    /// wrapped to the column so that no long field runs into the next column.
    func partyLines(_ heading: String, _ party: InvoiceDocument.Party, width: Double, seller: Bool) -> [HeaderLine] {
        var lines = [HeaderLine(text: heading, bold: true, size: 8, color: .grey)]
        func add(_ value: String?, bold: Bool = false, size: Double? = nil, color: PDFColor = .ink) {
            guard let value, !value.isEmpty else { return }
            let size = size ?? partySize
            for piece in TextLayout.wrap(value, width: width, measurer: measurer, bold: bold, size: size) {
                lines.append(HeaderLine(text: piece, bold: bold, size: size, color: color))
            }
        }
        add(party.name, bold: true, size: bodySize)
        if let address = party.address {
            address.lines.forEach { add($0) }
            add([address.postalCode, address.city].compactMap { $0 }.joined(separator: " "))
            add(Formatting.country(address.country))
        }
        add(party.vatID.map { "VAT ID \($0.value)" })
        add(party.taxNumber.map { "Tax no. \($0)" })
        add(party.registration)
        if seller {
            add(party.contactName.map { "Contact: \($0)" }, color: .grey)
            add(party.phone.map { "Phone \($0)" }, color: .grey)
            add(party.email, color: .grey)
        } else {
            add(document.buyerReference.map { "Your reference: \($0)" })
            add(party.email, color: .grey)
        }
        return lines
    }

    /// Dates and currency on the right, labels left and values right-aligned; a value too wide
    /// for its label's line goes on the line below. Returns the bottom.
    func details(on page: inout LaidOutPage, at top: Double) -> Double {
        var rows: [(String, String)] = [("Issue date", document.issueDate.description)]
        if let due = document.dueDate, !content.isCreditNote { rows.append(("Due date", due.description)) }
        switch document.supply {
        case .date(let day): rows.append(("Supply date", day.description))
        case .period(let start, let end): rows.append(("Service period", "\(start) – \(end)"))
        case nil: break
        }
        rows.append(("Currency", document.currency.code))
        let left = right - detailsWidth
        var y = top
        for (label, value) in rows {
            let labelWidth = measurer.width(of: label, bold: false, size: partySize)
            let values = TextLayout.wrap(value, width: detailsWidth, measurer: measurer, bold: true, size: partySize)
            page.ops.append(text(label, left, y, size: partySize, color: .grey))
            let fits = values.count == 1 && labelWidth + 8 + measurer.width(of: value, bold: true, size: partySize) <= detailsWidth
            if !fits { y += partyLeading }
            for piece in values {
                page.ops.append(rightAligned(piece, right, y, bold: true, size: partySize))
                y += partyLeading
            }
        }
        return y
    }
}
