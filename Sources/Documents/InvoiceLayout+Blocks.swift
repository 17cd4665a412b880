import PDF
import Billing

/// Pieces that flow down the pages: the line table and titled paragraphs. A segment's rows
/// never split; its header (a table's column heads, a paragraph's title) comes with its first
/// row and again on every page its rows continue on.
extension InvoiceLayout {
    struct Block {
        var height: Double
        /// Ops relative to the block's top.
        var ops: (Double) -> [DrawOp]
    }

    struct Segment {
        /// Space above the segment, unless it starts a page.
        var gap: Double = 0
        var header: Block?
        var rows: [Block]
    }

    func draw(_ block: Block, on page: inout LaidOutPage, at y: Double) -> Double {
        page.ops += block.ops(y)
        return y + block.height
    }

    func money(_ amount: Int64) -> String { Money(minorUnits: amount, currency: document.currency).formatted }

    /// A negative amount as people write it, with a real minus sign.
    func minus(_ amount: Int64) -> String { "−" + money(amount) }

    // MARK: Line table

    /// `gap`: the air above the table when something (a credit note's reason) comes before it.
    func lineTable(gap: Double = 0) -> Segment {
        var rows = document.lines.map(lineRow)
        rows += document.allowanceCharges.map(allowanceChargeRow)
        return Segment(gap: gap, header: Block(height: 22) { top in tableHeader(at: top) }, rows: rows)
    }

    func tableHeader(at y: Double) -> [DrawOp] {
        let baseline = y + 12.5
        return [
            .rectangle(x: margin, y: y, width: right - margin, height: 18, fill: brand),
            text("Description", margin + 4, baseline, bold: true, size: 8.5, color: .white),
            rightAligned("Qty", quantityRight, baseline, bold: true, size: 8.5, color: .white),
            rightAligned("Unit price", unitRight, baseline, bold: true, size: 8.5, color: .white),
            rightAligned("VAT", taxRight, baseline, bold: true, size: 8.5, color: .white),
            rightAligned("Amount", amountRight, baseline, bold: true, size: 8.5, color: .white),
        ]
    }

    func lineRow(_ line: InvoiceLine) -> Block {
        let wrapped = TextLayout.wrap(line.description.isEmpty ? "—" : line.description, width: descriptionWidth, measurer: measurer, size: bodySize)
        let cells = [(Formatting.quantity(line.quantity, unit: line.unitCode), quantityRight), (money(line.unitPrice), unitRight),
                     (Formatting.vat(line.vatCategory, line.taxRate), taxRight), (money(line.net), amountRight)]
        return tableRow(wrapped, cells: cells)
    }

    func allowanceChargeRow(_ entry: AllowanceCharge) -> Block {
        let label = (entry.kind == .allowance ? "Allowance: " : "Charge: ") + entry.reason
        let wrapped = TextLayout.wrap(label, width: descriptionWidth, measurer: measurer, size: bodySize)
        return tableRow(wrapped, cells: [(Formatting.vat(entry.vatCategory, entry.taxRate), taxRight),
                                         (entry.kind == .allowance ? minus(entry.amount) : money(entry.amount), amountRight)])
    }

    /// A row: the wrapped description on the left, right-aligned cells on its first line, a rule under it.
    func tableRow(_ wrapped: [String], cells: [(String, Double)]) -> Block {
        Block(height: Double(wrapped.count) * leading + 6) { y in
            let baseline = y + leading - 2
            var ops = wrapped.enumerated().map { index, piece in text(piece, margin + 4, baseline + Double(index) * leading) }
            ops += cells.map { value, right in rightAligned(value, right, baseline) }
            let bottom = y + Double(wrapped.count) * leading + 6
            ops.append(.line(x1: margin, y1: bottom - 1, x2: right, y2: bottom - 1, width: 0.4, color: .rule))
            return ops
        }
    }

    // MARK: Paragraphs

    /// A titled, wrapped paragraph, flowing line by line; nothing when `body` is empty.
    func paragraph(_ title: String, _ body: String?) -> [Segment] {
        guard let body, !body.isEmpty else { return [] }
        let lines = TextLayout.wrap(body, width: right - margin, measurer: measurer, size: bodySize)
        let header = Block(height: leading + 4) { top in [text(title, margin, top + leading, bold: true, size: 8.5, color: .grey)] }
        return [Segment(gap: 8, header: header, rows: lines.map { line in
            Block(height: leading) { top in [text(line, margin, top + leading - 2)] }
        })]
    }
}

/// Numbers as people read them on an invoice.
enum Formatting {
    /// 12 → "12", 1.5 → "1.5", 0.25 → "0.25".
    static func quantity(_ quantity: Quantity) -> String {
        let value = quantity.tenThousandths
        let whole = value / 10_000
        var fraction = String(abs(value % 10_000))
        guard fraction != "0" else { return String(whole) }
        fraction = String(repeating: "0", count: 4 - fraction.count) + fraction
        while fraction.hasSuffix("0") { fraction.removeLast() }
        return "\(value < 0 && whole == 0 ? "-" : "")\(whole).\(fraction)"
    }

    /// 1900 → "19%", 770 → "7.7%".
    static func rate(_ rate: TaxRate) -> String {
        let value = rate.hundredthsOfPercent
        guard value % 100 != 0 else { return "\(value / 100)%" }
        var fraction = String(value % 100)
        fraction = String(repeating: "0", count: 2 - fraction.count) + fraction
        if fraction.hasSuffix("0") { fraction.removeLast() }
        return "\(value / 100).\(fraction)%"
    }
}
