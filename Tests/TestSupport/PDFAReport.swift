import Foundation
import Testing

/// What `Tests/Python/check_pdfa.py` (pikepdf, Pillow's ImageCms, the `factur-x` library) reads
/// from a PDF: an independent look at the PDF/A-3 and Factur-X parts of a file Billport wrote.
public struct PDFAReport: Decodable, Sendable {
    public struct Metadata: Decodable, Sendable {
        public let part: String?
        public let conformance: String?
        public let title: String?
        public let producer: String?
        public let createDate: String?
        public let metadataDate: String?
        public let fx: [String: String?]
        public let extensionSchemaDescribesFx: Bool
        public let metadataFiltered: Bool
    }
    public struct Attachment: Decodable, Sendable {
        public let relationship: String?
        public let subtype: String?
        public let hasModDate: Bool
        public let size: Int?
        public let description: String
    }
    public struct ICC: Decodable, Sendable {
        public let size: Int
        public let length: Int
        public let `class`: String
        public let space: String
        public let pcs: String
        public let signature: String
        public let version: Int
        /// Present when Pillow's ImageCms could read the profile.
        public let description: String?
        public let maxChannelDifference: Int?
    }
    public struct OutputIntent: Decodable, Sendable {
        public let subtype: String
        public let condition: String
        public let n: Int
        public let icc: ICC
    }
    public struct FacturX: Decodable, Sendable {
        public let filename: String
        public let xmlBase64: String
        /// The XML the library extracted.
        public var xml: [UInt8] { [UInt8](Data(base64Encoded: xmlBase64) ?? Data()) }
        public let flavor: String
        public let level: String
        public let xsdValid: Bool?
        public let xsdError: String?
    }

    public let metadata: Metadata
    public let attachments: [String: Attachment]
    public let af: [String]
    public let outputIntents: [OutputIntent]
    public let annotationFlags: [Int]
    public let encrypted: Bool
    public let hasID: Bool
    public let pdfaStatus: String
    /// Broken rules among the ISO 19005-3 checks the script makes (a subset: header, trailer, XMP
    /// against Info, extension schemas, output intent, embedded files, images, annotations, fonts).
    public let violations: [String]
    public let facturx: FacturX?

    /// The package root (this file is `Tests/TestSupport/PDFAReport.swift`).
    public static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    public static let python = root.appendingPathComponent(".build/test-venv/bin/python").path

    /// Whether `.build/test-venv` has pikepdf and factur-x (`make test-venv`).
    public static let toolsInstalled: Bool = FileManager.default.isExecutableFile(atPath: python)
        && (try? Spawn.run(python, ["-c", "import pikepdf, facturx, lxml"]).status) == 0
    public static let skipMessage: Comment = "skipped: pikepdf / factur-x not installed in .build/test-venv (`make test-venv`)"

    /// Runs the checker on the PDF at `path`; with `xsdCheck`, also the factur-x library's
    /// EN 16931 XSD check of that XML file.
    public static func read(_ path: String, xsdCheck: String? = nil) throws -> PDFAReport {
        let script = root.appendingPathComponent("Tests/Python/check_pdfa.py").path
        let output = try Spawn.run(python, [script, path] + (xsdCheck.map { [$0] } ?? []))
        guard output.status == 0 else {
            throw Spawn.Failure(description: "check_pdfa.py failed: " + String(decoding: output.stderr, as: UTF8.self))
        }
        return try JSONDecoder().decode(PDFAReport.self, from: output.stdout)
    }
}
