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
        for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var current = ""
            for word in paragraph.split(separator: " ", omittingEmptySubsequences: true) {
                let candidate = current.isEmpty ? String(word) : current + " " + word
                if measurer.width(of: candidate, bold: bold, size: size) <= width {
                    current = candidate
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
            }
            lines.append(current)
        }
        return lines.isEmpty ? [""] : lines
    }
}
