import Billing
import BillportCore
import EInvoice
import Foundation
import Testing
import TestSupport

/// Every sample e-invoice checked by validators Billport did not write: the official EN 16931 CII
/// Schematron (as XSLT, run by saxonche), the factur-x library's XSD check for the EN 16931 level,
/// and drafthorse reading the file back. One Python process checks all samples.
@Suite struct EInvoiceValidationTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let python = root.appendingPathComponent(".build/test-venv/bin/python").path
    static let stylesheet = root.deletingLastPathComponent().appendingPathComponent("shared/einvoice/EN16931-CII-validation.xslt").path

    static var rulesPresent: Bool { FileManager.default.fileExists(atPath: stylesheet) }
    static var validatorsInstalled: Bool {
        FileManager.default.isExecutableFile(atPath: python) && (try? Spawn.run(python, ["-c", "import saxonche, facturx, drafthorse"]).status) == 0
    }

    struct Result: Decodable {
        struct Failure: Decodable { let id: String?; let text: String }
        struct XSD: Decodable { let valid: Bool; let error: String? }
        struct Parsed: Decodable { let parsed: Bool; let number: String?; let grandTotal: String?; let currency: String?; let error: String? }
        let file: String
        let fatal: [Failure]
        let warnings: [Failure]
        let xsd: XSD
        let drafthorse: Parsed
    }

    @Test(.enabled(if: Self.rulesPresent, "skipped: ../shared/einvoice not present"),
          .enabled(if: Self.validatorsInstalled,
                   "skipped: saxonche, factur-x or drafthorse not installed in .build/test-venv (`make test-venv`)"))
    func everySampleHasNoFatalErrorIsSchemaValidAndReadsBack() throws {
        let samples = try EInvoiceSamples.all()
        let scratch = TemporaryDirectory()
        var paths: [String] = []
        for sample in samples {
            let path = scratch.file("\(sample.name).xml")
            try Data(CIIWriter.xml(sample.document, profile: sample.profile)).write(to: URL(fileURLWithPath: path))
            #expect(EInvoiceReadiness.problems(sample.document, profile: sample.profile).isEmpty, "\(sample.name)")
            paths.append(path)
        }
        let script = Self.root.appendingPathComponent("Tests/Python/check_einvoice.py").path
        let output = try Spawn.run(Self.python, [script, Self.stylesheet] + paths)
        try #require(output.status == 0, "\(String(decoding: output.stderr, as: UTF8.self))")
        let results = try String(decoding: output.stdout, as: UTF8.self).split(separator: "\n")
            .map { try JSONDecoder().decode(Result.self, from: Data($0.utf8)) }
        try #require(results.count == samples.count)
        for (sample, result) in zip(samples, results) {
            #expect(result.fatal.isEmpty, "\(sample.name): \(result.fatal.map { "\($0.id ?? "?") \($0.text)" })")
            #expect(result.xsd.valid, "\(sample.name): \(result.xsd.error ?? "")")
            #expect(result.drafthorse.parsed, "\(sample.name): \(result.drafthorse.error ?? "")")
            #expect(result.drafthorse.number == sample.document.number, "\(sample.name)")
            #expect(result.drafthorse.currency == sample.document.currency.code, "\(sample.name)")
            let total = CIINumbers.amount(sample.document.totals.total, sample.document.currency)
            #expect(result.drafthorse.grandTotal.flatMap { Decimal(string: $0) } == Decimal(string: total), "\(sample.name): \(total)")
        }
    }
}
