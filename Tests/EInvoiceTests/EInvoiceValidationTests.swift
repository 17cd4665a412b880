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
    @Test(.enabled(if: EInvoiceCheck.rulesPresent, EInvoiceCheck.rulesMissing),
          .enabled(if: EInvoiceCheck.validatorsInstalled, EInvoiceCheck.validatorsMissing))
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
        let results = try EInvoiceCheck.run(paths)
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
