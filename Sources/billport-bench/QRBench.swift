import Billing
import QRCode

/// The `qr` group: median microseconds to encode an invoice's EPC payment code (all eight masks
/// scored) and to draw it as SVG, for a typical text and for the longest the EPC rule makes.
struct QRBench {
    func run(_ report: inout BenchReport) throws {
        let typical = EPCPaymentText(beneficiaryName: "Billport Demo GmbH", iban: "DE89 3704 0044 0532 0130 00", bic: "COBADEFFXXX",
                                     amountMinorUnits: 135_660, remittance: "INV-2026-0042")
        let longest = EPCPaymentText(beneficiaryName: String(repeating: "Ø", count: 70), iban: "LC55HEMM000100010012001200023015",
                                     bic: "HEMMLCLCXXX", amountMinorUnits: EPCPaymentText.maximumAmountMinorUnits,
                                     remittance: String(repeating: "9", count: 140))
        for (name, payment, target) in [("typical", typical, 200.0), ("longest", longest, 500.0)] {
            guard let bytes = payment?.bytes else { continue }
            var matrix = try QREncoder.encode(bytes, maximumVersion: 13)
            var encode: [Double] = [], svg: [Double] = []
            for _ in 0..<300 {
                let start = ContinuousClock.now
                matrix = try QREncoder.encode(bytes, maximumVersion: 13)
                let encoded = ContinuousClock.now
                let drawing = matrix.svg()
                let drawn = ContinuousClock.now
                precondition(drawing.hasSuffix("</svg>"))
                encode.append(Self.microseconds(encoded - start))
                svg.append(Self.microseconds(drawn - encoded))
            }
            let (encodeMedian, svgMedian) = (encode.sorted()[150], svg.sorted()[150])
            report.add("qr.epc.\(name).encode.us", encodeMedian, "µs", target: "< \(Int(target)) (version \(matrix.version), \(bytes.count) bytes)",
                       meets: encodeMedian < target)
            report.add("qr.epc.\(name).svg.us", svgMedian, "µs")
        }
    }

    static func microseconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) * 1e6 + Double(duration.components.attoseconds) / 1e12
    }
}
