import PDF
import Billing

/// The totals and the VAT summary (one row per category and rate: what the law calls the VAT
/// breakdown), side by side when the summary is short, else one under the other; then the
/// exemption and reverse-charge notes of the categories that need one.
extension InvoiceLayout {
    func totalsAndSummary() -> [Segment] {
        if let combined = totalsBesideSummary() {
            return [Segment(gap: 8, rows: [combined])] + exemptionNotes()
        }
        return [Segment(gap: 8, rows: [totalsBlock()])] + stackedSummary() + exemptionNotes()
    }

    /// Label, amount, emphasised.
    func totalsRows() -> [(String, String, Bool)] {
        let totals = document.totals
        var rows: [(String, String, Bool)] = [("Subtotal", money(totals.subtotal), false)]
        if totals.allowanceTotal > 0 { rows.append(("Allowances", minus(totals.allowanceTotal), false)) }
        if totals.chargeTotal > 0 { rows.append(("Charges", money(totals.chargeTotal), false)) }
        if totals.allowanceTotal > 0 || totals.chargeTotal > 0 { rows.append(("Tax basis", money(totals.taxBasis), false)) }
        rows.append(("VAT", money(totals.taxTotal), false))
        rows.append(("Total", money(totals.total), true))
        for row in content.paymentRows { rows.append((row.label, money(row.amount), row.emphasised)) }
        return rows
    }

    func totalsBlock() -> Block {
        let rows = totalsRows()
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

    /// Where the summary's four columns end (right edges) and how wide its category column is.
    struct SummaryColumns {
        var category: Double
        var categoryWidth: Double
        var rate: Double
        var base: Double
        var tax: Double
    }

    var summarySize: Double { 8.5 }

    func summaryLabel(_ tax: TaxLine) -> String { "\(tax.category.label) (\(tax.category.rawValue))" }

    /// The summary in the space left of the totals' labels: nil when it has many rows or its
    /// amounts leave the category column too narrow (a long currency, huge sums).
    func totalsBesideSummary() -> Block? {
        let taxes = document.totals.taxes
        guard !taxes.isEmpty, taxes.count <= 6 else { return nil }
        let totals = totalsBlock()
        let widestLabel = totalsRows().map { measurer.width(of: $0.0, bold: $0.2, size: bodySize) }.max() ?? 0
        func widest(_ strings: [String], heading: String) -> Double {
            (strings.map { measurer.width(of: $0, bold: false, size: summarySize) } + [measurer.width(of: heading, bold: true, size: 8)]).max() ?? 0
        }
        let tax = taxRight - widestLabel - 28
        let base = tax - widest(taxes.map { money($0.amount) }, heading: "VAT") - 12
        let rate = base - widest(taxes.map { money($0.base) }, heading: "Taxable amount") - 12
        let categoryWidth = rate - widest(taxes.map { Formatting.rate($0.rate) }, heading: "Rate") - 12 - margin
        guard categoryWidth >= 80 else { return nil }
        let columns = SummaryColumns(category: margin, categoryWidth: categoryWidth, rate: rate, base: base, tax: tax)
        let rows = taxes.map { summaryRow($0, columns) }
        let summaryHeight = 2 * leading + 6 + rows.reduce(0) { $0 + $1.height }
        return Block(height: max(totals.height, summaryHeight + 4)) { top in
            var ops = totals.ops(top)
            ops += summaryHeading(columns, at: top)
            var y = top + 2 * leading + 6
            for row in rows {
                ops += row.ops(y)
                y += row.height
            }
            return ops
        }
    }

    /// The summary across the page, flowing row by row with its heading repeated: for many rates.
    func stackedSummary() -> [Segment] {
        let taxes = document.totals.taxes
        guard !taxes.isEmpty else { return [] }
        let columns = SummaryColumns(category: margin, categoryWidth: quantityRight - 66 - margin, rate: quantityRight, base: taxRight, tax: amountRight)
        let header = Block(height: 2 * leading + 6) { top in summaryHeading(columns, at: top) }
        return [Segment(gap: 10, header: header, rows: taxes.map { summaryRow($0, columns) })]
    }

    /// "VAT summary" and the column heads over a rule in the brand colour.
    func summaryHeading(_ columns: SummaryColumns, at top: Double) -> [DrawOp] {
        let heads = top + 2 * leading
        return [
            text("VAT summary", columns.category, top + leading, bold: true, size: 8.5, color: .grey),
            text("Category", columns.category, heads, bold: true, size: 8, color: .grey),
            rightAligned("Rate", columns.rate, heads, bold: true, size: 8, color: .grey),
            rightAligned("Taxable amount", columns.base, heads, bold: true, size: 8, color: .grey),
            rightAligned("VAT", columns.tax, heads, bold: true, size: 8, color: .grey),
            .line(x1: columns.category, y1: heads + 4, x2: columns.tax, y2: heads + 4, width: 0.6, color: brand),
        ]
    }

    func summaryRow(_ tax: TaxLine, _ columns: SummaryColumns) -> Block {
        let label = TextLayout.wrap(summaryLabel(tax), width: columns.categoryWidth, measurer: measurer, size: summarySize)
        let rowLeading = 11.0
        return Block(height: Double(label.count) * rowLeading + 5) { y in
            let baseline = y + rowLeading
            var ops = label.enumerated().map { index, piece in text(piece, columns.category, baseline + Double(index) * rowLeading, size: summarySize) }
            ops += [rightAligned(Formatting.rate(tax.rate), columns.rate, baseline, size: summarySize),
                    rightAligned(money(tax.base), columns.base, baseline, size: summarySize),
                    rightAligned(money(tax.amount), columns.tax, baseline, size: summarySize)]
            let bottom = y + Double(label.count) * rowLeading + 5
            ops.append(.line(x1: columns.category, y1: bottom - 1, x2: columns.tax, y2: bottom - 1, width: 0.4, color: .rule))
            return ops
        }
    }

    /// Why no VAT is charged, once per reason, under the summary.
    func exemptionNotes() -> [Segment] {
        var seen: Set<String> = []
        let notes = document.totals.taxes.compactMap(\.exemptionReason).filter { seen.insert($0).inserted }
        guard !notes.isEmpty else { return [] }
        let lines = notes.flatMap { TextLayout.wrap($0, width: right - margin, measurer: measurer, size: bodySize) }
        return [Segment(gap: 4, rows: lines.map { line in Block(height: leading) { top in [text(line, margin, top + leading - 2)] } })]
    }
}
