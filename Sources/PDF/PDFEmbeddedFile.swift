import Foundation

/// An archival profile the writer can meet. `pdfA3b`: ISO 19005-3 level B (visual appearance
/// preserved; files of any type may be embedded), with an sRGB output intent.
public enum PDFConformance: Sendable, Equatable {
    case pdfA3b

    var part: Int { 3 }
    var level: String { "B" }
}

/// A file carried inside the PDF, associated with the whole document (ISO 32000-2 §7.11.4,
/// ISO 19005-3 §6.8): e-invoice XML, a source file, a supplement.
public struct PDFEmbeddedFile: Sendable, Equatable {
    /// How the file relates to the document (`/AFRelationship`): `data`, the information the
    /// visible content was drawn from (an invoice's structured data); `source`, the original it was
    /// made from; `alternative`, the same content in another form; `supplement`, an addition to it.
    public enum Relationship: String, Sendable, CaseIterable {
        case data = "Data", source = "Source", alternative = "Alternative", supplement = "Supplement", unspecified = "Unspecified"
    }

    public let fileName: String
    /// The MIME type, e.g. `text/xml`; written as the stream's `/Subtype`.
    public let mimeType: String
    public let data: [UInt8]
    public let description: String
    public let modificationDate: Date
    public let relationship: Relationship

    public static let maxBytes = 16 << 20

    /// Checks what a hostile caller could get wrong: an empty or overlong name, control
    /// characters, a malformed MIME type, more than `maxBytes` of data.
    public init(fileName: String, mimeType: String, data: [UInt8], description: String, modificationDate: Date,
                relationship: Relationship) throws(PDFMetadataError) {
        guard (1...255).contains(fileName.unicodeScalars.count),
              fileName.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value != 0x7F && !"/\\".unicodeScalars.contains($0) }) else {
            throw PDFMetadataError("an embedded file name must be 1–255 characters without control characters or slashes")
        }
        guard Self.isMIMEType(mimeType) else { throw PDFMetadataError("\"\(mimeType.prefix(80))\" is not a MIME type such as text/xml") }
        guard data.count <= Self.maxBytes else { throw PDFMetadataError("an embedded file is limited to \(Self.maxBytes) bytes") }
        guard description.unicodeScalars.count <= 1_000, description.unicodeScalars.allSatisfy({ $0.value >= 0x20 }) else {
            throw PDFMetadataError("an embedded file's description must be at most 1000 characters without control characters")
        }
        self.fileName = fileName
        self.mimeType = mimeType.lowercased()
        self.data = data
        self.description = description
        self.modificationDate = modificationDate
        self.relationship = relationship
    }

    /// `type/subtype` in RFC 6838's restricted-name characters, at most 127 bytes.
    static func isMIMEType(_ text: String) -> Bool {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, text.utf8.count <= 127 else { return false }
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$&^_.+-".unicodeScalars)
        return parts.allSatisfy { part in !part.isEmpty && part.unicodeScalars.allSatisfy { allowed.contains($0) } }
    }

    /// The name-tree key's bytes: ASCII as is, anything else UTF-16BE with its mark. Keys are
    /// sorted by these bytes (ISO 32000-1 §7.9.6).
    var keyBytes: [UInt8] {
        if fileName.unicodeScalars.allSatisfy(\.isASCII) { return Array(fileName.utf8) }
        return [0xFE, 0xFF] + fileName.utf16.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
    }

    /// The key as a PDF string.
    var key: String {
        fileName.unicodeScalars.allSatisfy(\.isASCII) ? PDFSyntax.literal(fileName) : PDFSyntax.textString(fileName)
    }

    /// The MIME type as a PDF name: `/text#2Fxml` (ISO 32000-1 §7.3.5).
    var subtypeName: String {
        "/" + mimeType.utf8.map { byte in
            let delimiter = "()<>[]{}/%#".utf8.contains(byte)
            return byte > 0x20 && byte < 0x7F && !delimiter ? String(UnicodeScalar(byte)) : String(format: "#%02X", byte)
        }.joined()
    }
}
