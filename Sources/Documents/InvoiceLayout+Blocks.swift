import PDF
import Billing

/// Blocks that move to the next page whole: totals, notes, payment instructions.
extension InvoiceLayout {
    struct Block {
        var height: Double
        /// Ops relative to the block's top.
        var ops: (Double) -> [DrawOp]
    }

    func totalsBlock() -> Block {
        let invoice = sheet.invoice
        let money = { (amount: Int64) in Money(minorUnits: amount, currency: invoice.currency).formatted }
        var rows: [(String, String, Bool)] = [("Subtotal", money(invoice.totals.subtotal), false)]
        for tax in invoice.totals.taxes {
            rows.append(("Tax \(Formatting.rate(tax.rate)) on \(money(tax.base))", money(tax.amount), false))
        }
        rows.append(("Total", money(invoice.totals.total), true))
        for row in PaymentSummary.rows(of: invoice) { rows.append((row.label, money(row.amount), row.emphasised)) }
        let labelRight = taxRight
        return Block(height: Double(rows.count) * (leading + 2) + 8) { top in
            var ops: [DrawOp] = []
            for (index, (label, value, bold)) in rows.enumerated() {
                let y = top + Double(index + 1) * (leading + 2)
                if bold { ops.append(.line(x1: labelRight - 120, y1: y - leading + 1, x2: right, y2: y - leading + 1, width: 0.6, color: .rule)) }
                ops.append(rightAligned(label, labelRight, y, bold: bold))
                ops.append(rightAligned(value, amountRight, y, bold: bold))
            }
            return ops
        }
    }

    /// Notes and payment instructions, each a titled, wrapped paragraph.
    func closingBlocks() -> [Block] {
        [("Notes", sheet.invoice.notes), ("Payment", sheet.branding.paymentInstructions)].compactMap { title, body in
            guard let body, !body.isEmpty else { return nil }
            let lines = TextLayout.wrap(body, width: right - margin, measurer: measurer, size: bodySize)
            return Block(height: Double(lines.count + 1) * leading + 8) { top in
                [text(title, margin, top + leading + 2, bold: true, size: 8.5, color: .grey)]
                    + lines.enumerated().map { index, line in text(line, margin, top + Double(index + 2) * leading + 2) }
            }
        }
    }

    func draw(_ block: Block, on page: inout LaidOutPage, at y: Double) -> Double {
        page.ops += block.ops(y)
        return y + block.height
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
