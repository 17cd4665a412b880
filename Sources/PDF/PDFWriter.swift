import Foundation

/// Writes a `PDFDocument`: objects with a classic cross-reference table (PDF 1.7, ISO 32000-1 §7.5).
struct PDFWriter {
    private var out: [UInt8] = []
    private var offsets: [Int] = []

    /// Per font: the glyphs used in this document and the text each stands for.
    private struct FontUse {
        let font: PDFFont
        var glyphs: [UInt16: Unicode.Scalar] = [:]
        let resource: String
    }

    mutating func newObject() -> Int {
        offsets.append(0)
        return offsets.count
    }

    private mutating func write(_ text: String) { out.append(contentsOf: text.utf8) }

    mutating func object(_ number: Int, _ body: String) {
        offsets[number - 1] = out.count
        write("\(number) 0 obj\n\(body)\nendobj\n")
    }

    /// Writes a stream, Flate-compressed unless `raw` (JPEG data is compressed already).
    mutating func stream(_ number: Int, _ dictionary: String, _ data: [UInt8], raw: Bool = false, effort: Deflate.Effort = .default) {
        offsets[number - 1] = out.count
        let body = raw ? data : Deflate.zlib(data, effort: effort)
        let filter = raw ? "" : " /Filter /FlateDecode"
        write("\(number) 0 obj\n<< \(dictionary)\(filter) /Length \(body.count) >>\nstream\n")
        out.append(contentsOf: body)
        write("\nendstream\nendobj\n")
    }

    mutating func write(_ document: PDFDocument) -> [UInt8] {
        write("%PDF-1.7\n")
        out.append(contentsOf: [0x25, 0xE2, 0xE3, 0xCF, 0xD3, 0x0A])
        let catalog = newObject(), pagesRoot = newObject(), info = newObject(), metadata = newObject()

        // Fonts and images in order of first use, so numbering is deterministic.
        var fonts: [ObjectIdentifier: FontUse] = [:]
        var fontOrder: [ObjectIdentifier] = []
        var images: [PDFImage: (resource: String, object: Int)] = [:]
        var imageOrder: [PDFImage] = []
        for page in document.pages {
            for operation in page.operations {
                switch operation {
                case .text(let string, _, _, let font, _, _):
                    let key = ObjectIdentifier(font)
                    if fonts[key] == nil {
                        fonts[key] = FontUse(font: font, resource: "F\(fontOrder.count + 1)")
                        fontOrder.append(key)
                    }
                    for (glyph, scalar) in font.glyphs(for: string) where fonts[key]!.glyphs[glyph] == nil {
                        fonts[key]!.glyphs[glyph] = glyph == font.fallbackGlyph && !font.covers(scalar) ? "?" : scalar
                    }
                case .image(let image, _, _, _, _):
                    if images[image] == nil, document.conformance == nil || !image.isCMYK {
                        images[image] = ("Im\(imageOrder.count + 1)", 0)
                        imageOrder.append(image)
                    }
                default:
                    break
                }
            }
        }
        var fontObjects: [ObjectIdentifier: Int] = [:]
        for key in fontOrder { fontObjects[key] = writeFont(fonts[key]!) }
        for image in imageOrder { images[image]!.object = writeImage(image) }
        let fontResources = fontOrder.map { "/\(fonts[$0]!.resource) \(fontObjects[$0]!) 0 R" }.joined(separator: " ")
        let imageResources = imageOrder.map { "/\(images[$0]!.resource) \(images[$0]!.object) 0 R" }.joined(separator: " ")
        let resources = "<< /Font << \(fontResources) >> /XObject << \(imageResources) >> /ProcSet [/PDF /Text /ImageC /ImageB] >>"

        var pageObjects: [Int] = []
        for page in document.pages {
            let content = ContentStream.build(page, fonts: { fonts[ObjectIdentifier($0)]!.resource }, images: { images[$0]?.resource })
            let contentObject = newObject()
            stream(contentObject, "", content.bytes)
            var annotations: [Int] = []
            for link in content.links {
                let annotation = newObject()
                // PDF/A: an annotation must print (ISO 19005-3 §6.3.2).
                let flags = document.conformance == nil ? "" : " /F 4"
                object(annotation, "<< /Type /Annot /Subtype /Link /Rect [\(link.rect)] /Border [0 0 0]\(flags) /A << /S /URI /URI \(PDFSyntax.literal(link.url)) >> >>")
                annotations.append(annotation)
            }
            let pageObject = newObject()
            let annots = annotations.isEmpty ? "" : " /Annots [\(annotations.map { "\($0) 0 R" }.joined(separator: " "))]"
            object(pageObject, "<< /Type /Page /Parent \(pagesRoot) 0 R /MediaBox [0 0 \(PDFNumber.format(page.size.width)) \(PDFNumber.format(page.size.height))] /Resources \(resources) /Contents \(contentObject) 0 R\(annots) >>")
            pageObjects.append(pageObject)
        }
        object(pagesRoot, "<< /Type /Pages /Kids [\(pageObjects.map { "\($0) 0 R" }.joined(separator: " "))] /Count \(pageObjects.count) >>")
        let date = PDFSyntax.date(document.info.creationDate)
        let i = document.info
        func text(_ value: String) -> String { PDFSyntax.textString(XMP.representable(value)) }
        object(info, "<< /Title \(text(i.title)) /Author \(text(i.author)) /Subject \(text(i.subject)) /Creator \(text(i.creator)) /Producer \(text(i.producer)) /CreationDate (\(date)) /ModDate (\(date)) >>")
        // XMP stays readable to tools that scan files for it.
        let packet = XMP.packet(i, archival: document.conformance, extensions: document.metadataExtensions)
        stream(metadata, "/Type /Metadata /Subtype /XML", Array(packet.utf8), raw: true)
        let attachments = writeEmbeddedFiles(document.embeddedFiles)
        let outputIntents = document.conformance == nil ? "" : writeOutputIntent()
        object(catalog, "<< /Type /Catalog /Pages \(pagesRoot) 0 R /Metadata \(metadata) 0 R /Lang (en)\(attachments)\(outputIntents) >>")

        let id = String(format: "%016llX%016llX", PDFSyntax.fnv1a(out), PDFSyntax.fnv1a(out, seed: 0x84222325cbf29ce4))
        let xref = out.count
        write("xref\n0 \(offsets.count + 1)\n0000000000 65535 f \n")
        for offset in offsets { write(String(format: "%010d 00000 n \n", offset)) }
        write("trailer\n<< /Size \(offsets.count + 1) /Root \(catalog) 0 R /Info \(info) 0 R /ID [<\(id)> <\(id)>] >>\nstartxref\n\(xref)\n%%EOF\n")
        return out
    }

    /// Type0 font over a CIDFontType2 with the subset embedded and a ToUnicode map (ISO 32000-1 §9.7, §9.10).
    private mutating func writeFont(_ use: FontUse) -> Int {
        let font = use.font.font
        let glyphs = use.glyphs.keys.sorted()
        let tagHash = PDFSyntax.fnv1a(glyphs.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] } + Array(font.postScriptName.utf8))
        let tag = String((0..<6).map { Character(Unicode.Scalar(UInt8(65 + (tagHash >> (UInt64($0) * 5)) % 26))) })
        let baseFont = "\(tag)+\(PDFSyntax.name(font.postScriptName))"
        let scale = 1000 / Double(font.unitsPerEm)
        func scaled(_ value: Int) -> String { PDFNumber.format(Double(value) * scale) }

        let type0 = newObject(), cidFont = newObject(), descriptor = newObject(), file = newObject(), toUnicode = newObject()
        let subset = use.font.compressedSubset(Set(glyphs))
        stream(file, "/Length1 \(subset.length) /Filter /FlateDecode", subset.bytes, raw: true)
        let box = font.boundingBox
        object(descriptor, "<< /Type /FontDescriptor /FontName /\(baseFont) /Flags 4 /FontBBox [\(scaled(box.xMin)) \(scaled(box.yMin)) \(scaled(box.xMax)) \(scaled(box.yMax))] /ItalicAngle \(PDFNumber.format(font.italicAngle)) /Ascent \(scaled(font.ascender)) /Descent \(scaled(font.descender)) /CapHeight \(scaled(font.capHeight)) /StemV 80 /FontFile2 \(file) 0 R >>")
        let widths = glyphs.map { "\($0) [\(use.font.pdfWidth(of: $0))]" }.joined(separator: " ")
        object(cidFont, "<< /Type /Font /Subtype /CIDFontType2 /BaseFont /\(baseFont) /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor \(descriptor) 0 R /DW 1000 /W [\(widths)] /CIDToGIDMap /Identity >>")
        stream(toUnicode, "", Array(ToUnicode.cmap(glyphs.map { ($0, use.glyphs[$0]!) }).utf8))
        object(type0, "<< /Type /Font /Subtype /Type0 /BaseFont /\(baseFont) /Encoding /Identity-H /DescendantFonts [\(cidFont) 0 R] /ToUnicode \(toUnicode) 0 R >>")
        return type0
    }

    private mutating func writeImage(_ image: PDFImage) -> Int {
        let object = newObject()
        let size = "/Width \(image.pixelWidth) /Height \(image.pixelHeight) /BitsPerComponent 8"
        switch image.payload {
        case .jpeg(let data, let components):
            let space = components == 1 ? "/DeviceGray" : components == 3 ? "/DeviceRGB" : "/DeviceCMYK /Decode [1 0 1 0 1 0 1 0]"
            stream(object, "/Type /XObject /Subtype /Image \(size) /ColorSpace \(space) /Filter /DCTDecode", data, raw: true)
        case .pixels(let samples, let components, let alpha):
            var mask = ""
            if let alpha {
                let maskObject = newObject()
                stream(maskObject, "/Type /XObject /Subtype /Image \(size) /ColorSpace /DeviceGray", alpha)
                mask = " /SMask \(maskObject) 0 R"
            }
            stream(object, "/Type /XObject /Subtype /Image \(size) /ColorSpace \(components == 1 ? "/DeviceGray" : "/DeviceRGB")\(mask)", samples)
        }
        return object
    }
}
