import PDF
import Billing

/// The bank transfer box of an invoice: account holder, IBAN, BIC and the reference to quote on
/// the left, the EPC payment QR code with its caption on the right. It moves to the next page whole.
extension InvoiceLayout {
    /// The symbol's side without its quiet zone, in points: 76 pt is 26.8 mm, above the 25 mm
    /// banking apps read comfortably from paper.
    static let paymentCodeSide = 76.0
    /// Light modules around the symbol that readers need to find it.
    static let quietZoneModules = 4
    static let paymentCodeCaption = "Scan to pay with your banking app"

    func paymentBox() -> [Segment] {
        let code = content.paymentCode
        guard document.bankAccount != nil || code != nil else { return [] }
        var details: [(String, String)] = []
        if let account = document.bankAccount {
            details += [("Account holder", account.holder), ("IBAN", account.iban.grouped)]
            if let bic = account.bic { details.append(("BIC", bic.value)) }
            details.append(("Reference", document.number))
        }
        let captionWidth = measurer.width(of: Self.paymentCodeCaption, bold: false, size: 7.5)
        let codeWidth = code.map { max(Self.codeBoxSide($0), captionWidth) + 24 } ?? 0
        let labelWidth = 80.0
        let valueWidth = right - margin - labelWidth - codeWidth
        var lines: [(label: String, value: String, y: Double)] = []
        var y = 2 * leading + 2
        for (label, value) in details {
            for (index, piece) in TextLayout.wrap(value, width: valueWidth, measurer: measurer, bold: true, size: bodySize).enumerated() {
                lines.append((index == 0 ? label : "", piece, y))
                y += leading
            }
        }
        let codeHeight = code.map { Self.codeBoxSide($0) + 12 } ?? 0
        let height = max(y - leading + 8, codeHeight + 8)
        let block = Block(height: height) { top in
            var ops: [DrawOp] = []
            if !lines.isEmpty { ops.append(text("Bank transfer", margin, top + leading + 2, bold: true, size: 8.5, color: .grey)) }
            for line in lines {
                if !line.label.isEmpty { ops.append(text(line.label, margin, top + line.y, size: 8.5, color: .grey)) }
                ops.append(text(line.value, margin + labelWidth, top + line.y, bold: true))
            }
            if let code { ops += paymentCode(code, top: top + 4) }
            return ops
        }
        return [Segment(gap: 10, rows: [block])]
    }

    /// The symbol with its quiet zone.
    static func codeBoxSide(_ code: PaymentCodeMatrix) -> Double {
        paymentCodeSide * Double(code.size + 2 * quietZoneModules) / Double(code.size)
    }

    /// The QR code and its caption centred on each other in a column at the right margin: one
    /// black rectangle per merged run of dark modules.
    func paymentCode(_ code: PaymentCodeMatrix, top: Double) -> [DrawOp] {
        let module = Self.paymentCodeSide / Double(code.size)
        let box = Self.codeBoxSide(code)
        let captionWidth = measurer.width(of: Self.paymentCodeCaption, bold: false, size: 7.5)
        let column = max(box, captionWidth)
        let left = right - column + (column - box) / 2
        let origin = (x: left + Double(Self.quietZoneModules) * module, y: top + Double(Self.quietZoneModules) * module)
        var ops: [DrawOp] = code.rectangles().map { rectangle in
            .rectangle(x: origin.x + Double(rectangle.x) * module, y: origin.y + Double(rectangle.y) * module,
                       width: Double(rectangle.width) * module, height: Double(rectangle.height) * module, fill: .black)
        }
        ops.append(text(Self.paymentCodeCaption, right - column + (column - captionWidth) / 2, top + box + 6, size: 7.5, color: .grey))
        return ops
    }
}
