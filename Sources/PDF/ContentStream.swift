/// A page's drawing operators (ISO 32000-1 §8, §9.4), with the page's top-left coordinates
/// flipped to PDF's bottom-left ones.
enum ContentStream {
    struct Link {
        let url: String
        let rect: String
    }

    static func build(_ page: PDFPage, fonts: (PDFFont) -> String, images: (PDFImage) -> String?) -> (bytes: [UInt8], links: [Link]) {
        var out = ""
        out.reserveCapacity(page.operations.count * 60)
        var links: [Link] = []
        let height = page.size.height
        func n(_ value: Double) -> String { PDFNumber.format(value) }
        func rgb(_ color: PDFColor) -> String { "\(n(color.red)) \(n(color.green)) \(n(color.blue))" }
        for operation in page.operations {
            switch operation {
            case .text(let string, let x, let y, let font, let size, let color):
                let glyphs = font.glyphs(for: string)
                guard !glyphs.isEmpty else { continue }
                var hex = [UInt8]()
                hex.reserveCapacity(glyphs.count * 4)
                for (glyph, _) in glyphs { hex += PDFSyntax.hexBytes(glyph) }
                out += "BT /\(fonts(font)) \(n(size)) Tf \(rgb(color)) rg 1 0 0 1 \(n(x)) \(n(height - y)) Tm <"
                out += String(decoding: hex, as: UTF8.self)
                out += "> Tj ET\n"
            case .line(let x1, let y1, let x2, let y2, let width, let color):
                out += "q \(n(width)) w \(rgb(color)) RG \(n(x1)) \(n(height - y1)) m \(n(x2)) \(n(height - y2)) l S Q\n"
            case .rectangle(let x, let y, let width, let height2, let fill, let stroke, let lineWidth):
                let path = "\(n(x)) \(n(height - y - height2)) \(n(width)) \(n(height2)) re"
                switch (fill, stroke) {
                case (let fill?, let stroke?): out += "q \(rgb(fill)) rg \(rgb(stroke)) RG \(n(lineWidth)) w \(path) B Q\n"
                case (let fill?, nil): out += "q \(rgb(fill)) rg \(path) f Q\n"
                case (nil, let stroke?): out += "q \(rgb(stroke)) RG \(n(lineWidth)) w \(path) S Q\n"
                case (nil, nil): break
                }
            case .image(let image, let x, let y, let width, let height2):
                // An image the writer left out (see `PDFDocument.conformance`) is not drawn.
                guard let resource = images(image) else { continue }
                out += "q \(n(width)) 0 0 \(n(height2)) \(n(x)) \(n(height - y - height2)) cm /\(resource) Do Q\n"
            case .link(let url, let x, let y, let width, let height2):
                links.append(Link(url: url, rect: "\(n(x)) \(n(height - y - height2)) \(n(x + width)) \(n(height - y))"))
            }
        }
        return (Array(out.utf8), links)
    }
}

/// The ToUnicode CMap (ISO 32000-1 §9.10.3): glyph id → the text it stands for, so that copying
/// and `pdftotext` give back the original characters.
enum ToUnicode {
    static func cmap(_ entries: [(glyph: UInt16, scalar: Unicode.Scalar)]) -> String {
        var text = """
            /CIDInit /ProcSet findresource begin
            12 dict begin
            begincmap
            /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def
            /CMapName /Adobe-Identity-UCS def
            /CMapType 2 def
            1 begincodespacerange
            <0000> <FFFF>
            endcodespacerange

            """
        var index = 0
        while index < entries.count {
            let chunk = entries[index..<min(index + 100, entries.count)]
            text += "\(chunk.count) beginbfchar\n"
            for entry in chunk {
                let units = String(Character(entry.scalar)).utf16.map(PDFSyntax.hex16).joined()
                text += "<\(PDFSyntax.hex16(entry.glyph))> <\(units)>\n"
            }
            text += "endbfchar\n"
            index += 100
        }
        return text + "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n"
    }
}
