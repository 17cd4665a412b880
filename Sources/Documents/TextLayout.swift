/// Measures text in points for a font role and size; the PDF fonts in production, a fixed
/// advance in tests, so layout rules need no font file.
public protocol TextMeasurer: Sendable {
    func width(of text: String, bold: Bool, size: Double) -> Double
}

/// Line breaking for table cells and notes.
enum TextLayout {
    /// Breaks `text` into lines no wider than `width`: at spaces where possible, inside a word
    /// only when the word alone is too wide; explicit newlines are kept.
    static func wrap(_ text: String, width: Double, measurer: any TextMeasurer, bold: Bool = false, size: Double) -> [String] {
        var lines: [String] = []
        // Widths add up (no kerning), so each word is measured once.
        let space = measurer.width(of: " ", bold: bold, size: size)
        for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var current = ""
            var currentWidth = 0.0
            for word in paragraph.split(separator: " ", omittingEmptySubsequences: true) {
                let wordWidth = measurer.width(of: String(word), bold: bold, size: size)
                let candidateWidth = current.isEmpty ? wordWidth : currentWidth + space + wordWidth
                if candidateWidth <= width {
                    current = current.isEmpty ? String(word) : current + " " + word
                    currentWidth = candidateWidth
                    continue
                }
                if !current.isEmpty { lines.append(current) }
                current = ""
                // A word wider than the column is cut where it must be.
                var piece = ""
                for character in word {
                    if !piece.isEmpty, measurer.width(of: piece + String(character), bold: bold, size: size) > width {
                        lines.append(piece)
                        piece = ""
                    }
                    piece.append(character)
                }
                current = piece
                currentWidth = measurer.width(of: piece, bold: bold, size: size)
            }
            lines.append(current)
        }
        return lines.isEmpty ? [""] : lines
    }
}
