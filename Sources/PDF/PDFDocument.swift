import BillportCore
import Foundation

/// A PDF document: pages, and what it says about itself. `render()` gives PDF 1.7 bytes;
/// the same document gives the same bytes (the file id is a hash of the content).
public struct PDFDocument: Sendable {
    public let info: PDFDocumentInfo
    var pages: [PDFPage] = []
    /// nil: a plain PDF 1.7. `.pdfA3b`: the writer adds what ISO 19005-3 level B asks for (output
    /// intent with an sRGB profile, PDF/A identification in XMP, print flags on annotations);
    /// DeviceCMYK images, which an sRGB output intent cannot describe, are left out.
    public var conformance: PDFConformance?
    /// Files carried by the document, each listed in `/EmbeddedFiles` and the catalog's `/AF`.
    public private(set) var embeddedFiles: [PDFEmbeddedFile] = []
    /// Extra XMP namespaces, each with its PDF/A extension schema description.
    public private(set) var metadataExtensions: [XMPExtensionSchema] = []

    public init(info: PDFDocumentInfo) {
        self.info = info
    }

    public mutating func append(_ page: PDFPage) {
        pages.append(page)
    }

    public var pageCount: Int { pages.count }

    /// Adds `file`; a second file of the same name is refused (names key the embedded-file tree).
    public mutating func attach(_ file: PDFEmbeddedFile) throws(PDFMetadataError) {
        guard !embeddedFiles.contains(where: { $0.fileName == file.fileName }) else {
            throw PDFMetadataError("the document already carries a file named \(file.fileName)")
        }
        guard embeddedFiles.count < 32 else { throw PDFMetadataError("a document carries at most 32 embedded files") }
        embeddedFiles.append(file)
    }

    /// Adds an XMP namespace; a prefix or namespace already added is refused.
    public mutating func addMetadata(_ schema: XMPExtensionSchema) throws(PDFMetadataError) {
        guard !metadataExtensions.contains(where: { $0.prefix == schema.prefix || $0.namespaceURI == schema.namespaceURI }) else {
            throw PDFMetadataError("the XMP prefix \(schema.prefix) or its namespace is already used")
        }
        metadataExtensions.append(schema)
    }

    /// The file. Streams are Flate-compressed with Billport's own DEFLATE (`Deflate.swift`;
    /// the product links no compression library), JPEG data passes through.
    public func render() -> [UInt8] {
        var writer = PDFWriter()
        return writer.write(self)
    }
}

/// Text-level helpers for PDF syntax.
enum PDFSyntax {
    /// `<FEFF…>`: any text as a UTF-16BE string, safe for every character.
    static func textString(_ text: String) -> String {
        "<FEFF" + text.utf16.map { hex16($0) }.joined() + ">"
    }

    static func hex16(_ value: UInt16) -> String {
        String(decoding: hexBytes(value), as: UTF8.self)
    }

    private static let hexDigits: [UInt8] = Array("0123456789ABCDEF".utf8)

    /// The four hex digits of `value` as bytes, for content streams built as bytes.
    static func hexBytes(_ value: UInt16) -> [UInt8] {
        [hexDigits[Int(value >> 12)], hexDigits[Int(value >> 8 & 0xF)], hexDigits[Int(value >> 4 & 0xF)], hexDigits[Int(value & 0xF)]]
    }

    /// `D:20261101000000Z`.
    static func date(_ date: Date) -> String {
        let parts = UTCDateParts(epochSeconds: Int(date.timeIntervalSince1970.rounded(.down)))
        let pad = UTCDateParts.padded
        return "D:\(pad(parts.year, 4))\(pad(parts.month, 2))\(pad(parts.day, 2))"
            + "\(pad(parts.hour, 2))\(pad(parts.minute, 2))\(pad(parts.second, 2))Z"
    }

    /// A PDF name made of letters and digits only (`/ABCDEF+DejaVuSans`).
    static func name(_ text: String) -> String {
        String(text.unicodeScalars.filter { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || $0 == "-" || $0 == "+") }.map(Character.init))
    }

    /// A literal string `( … )` for ASCII text such as URLs, with `\`, `(` and `)` escaped.
    static func literal(_ text: String) -> String {
        "(" + text.unicodeScalars.filter { $0.isASCII && $0.value >= 0x20 }.map { scalar -> String in
            switch scalar {
            case "\\", "(", ")": return "\\" + String(scalar)
            default: return String(scalar)
            }
        }.joined() + ")"
    }

    /// FNV-1a, for deterministic ids and subset tags (not for security).
    static func fnv1a(_ bytes: some Sequence<UInt8>, seed: UInt64 = 0xcbf2_9ce4_8422_2325) -> UInt64 {
        var hash = seed
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return hash
    }
}
