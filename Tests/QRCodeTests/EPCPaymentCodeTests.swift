import Billing
import QRCode
import TestSupport
import Testing

/// The EPC payment text as a banking app receives it: encoded at level M within version 13, read
/// back by an independent decoder, every field in its place.
@Suite(.enabled(if: ZBarImage.isInstalled, ZBarImage.skipMessage))
struct EPCPaymentCodeTests {
    @Test func aPaymentCodeReadsBackFieldByField() throws {
        let payment = try #require(EPCPaymentText(beneficiaryName: "Zoë & Søn ApS", iban: "DK50 0040 0440 1162 43", bic: "NDEADKKK",
                                                  amountMinorUnits: 135_660, remittance: "INV-2026-0042"))
        let matrix = try QREncoder.encode(payment.bytes, correction: .medium, maximumVersion: 13)
        let decoded = try ZBarImage.decode(png: QRImage.png(matrix))
        #expect(decoded == payment.bytes)
        #expect(String(decoding: decoded, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            == ["BCD", "002", "1", "SCT", "NDEADKKK", "Zoë & Søn ApS", "DK5000400440116243", "EUR1356.60", "", "", "INV-2026-0042"])
    }

    /// The longest text the rule makes (every field at its limit, a multi-byte name) fills version 13 and still reads.
    @Test func theLargestPaymentTextFitsVersion13AndDecodes() throws {
        let payment = try #require(EPCPaymentText(beneficiaryName: String(repeating: "Ø", count: 90), iban: "LC55HEMM000100010012001200023015",
                                                  bic: "HEMMLCLCXXX", amountMinorUnits: EPCPaymentText.maximumAmountMinorUnits,
                                                  remittance: String(repeating: "é", count: 200)))
        #expect(payment.bytes.count >= 320 && payment.bytes.count <= 331)
        let matrix = try QREncoder.encode(payment.bytes, correction: .medium, maximumVersion: 13)
        #expect(matrix.version == 13)
        #expect(try ZBarImage.decode(png: QRImage.png(matrix)) == payment.bytes)
    }
}
