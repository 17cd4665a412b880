import Foundation
import Testing

/// What `Tests/Python/check_einvoice.py` says of e-invoice files: the official EN 16931 CII
/// Schematron (XSLT, run by saxonche), the factur-x library's EN 16931 XSD check, and drafthorse
/// reading the file back — validators Billport did not write. One Python process per call.
public struct EInvoiceCheck: Decodable, Sendable {
    public struct Failure: Decodable, Sendable { public let id: String?; public let text: String }
    public struct XSD: Decodable, Sendable { public let valid: Bool; public let error: String? }
    public struct Parsed: Decodable, Sendable {
        public let parsed: Bool; public let number: String?; public let grandTotal: String?; public let currency: String?; public let error: String?
    }
    public let file: String
    public let fatal: [Failure]
    public let warnings: [Failure]
    public let xsd: XSD
    public let drafthorse: Parsed

    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let python = root.appendingPathComponent(".build/test-venv/bin/python").path
    /// The official rules beside the project (`../shared/einvoice`); never copied into it.
    public static let stylesheet = root.deletingLastPathComponent().appendingPathComponent("shared/einvoice/EN16931-CII-validation.xslt").path

    public static var rulesPresent: Bool { FileManager.default.fileExists(atPath: stylesheet) }
    public static let rulesMissing: Comment = "skipped: ../shared/einvoice not present"
    public static let validatorsInstalled: Bool = FileManager.default.isExecutableFile(atPath: python)
        && (try? Spawn.run(python, ["-c", "import saxonche, facturx, drafthorse"]).status) == 0
    public static let validatorsMissing: Comment = "skipped: saxonche, factur-x or drafthorse not installed in .build/test-venv (`make test-venv`)"

    /// Checks every file at `paths`, in order.
    public static func run(_ paths: [String]) throws -> [EInvoiceCheck] {
        let script = root.appendingPathComponent("Tests/Python/check_einvoice.py").path
        let output = try Spawn.run(python, [script, stylesheet] + paths)
        guard output.status == 0 else {
            throw Spawn.Failure(description: "check_einvoice.py failed: " + String(decoding: output.stderr, as: UTF8.self))
        }
        return try String(decoding: output.stdout, as: UTF8.self).split(separator: "\n")
            .map { try JSONDecoder().decode(EInvoiceCheck.self, from: Data($0.utf8)) }
    }

    /// Checks XML documents given as bytes (written to a scratch directory first).
    public static func run(xml documents: [[UInt8]]) throws -> [EInvoiceCheck] {
        let scratch = TemporaryDirectory()
        let paths = try documents.enumerated().map { index, xml in
            let path = scratch.file("document-\(index).xml")
            try Data(xml).write(to: URL(fileURLWithPath: path))
            return path
        }
        return try run(paths)
    }
}
