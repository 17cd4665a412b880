/// Why bytes could not be encoded.
public enum QREncodingError: Error, Equatable, Sendable {
    /// More bytes than the largest allowed version holds at the level.
    case dataTooLong(byteCount: Int, capacity: Int)
}

/// A QR Code Model 2 encoder (ISO/IEC 18004): one byte-mode segment, versions 1…40, levels L/M/Q/H,
/// the smallest version that fits, all eight masks tried and the lowest penalty kept.
public enum QREncoder {
    public static let versions = 1...40

    /// The most bytes `version` (clamped to 1…40) holds at `correction` (version 13 at M: 331, the EPC limit).
    public static func byteCapacity(version: Int, correction: QRErrorCorrection) -> Int {
        QRVersionTable.byteCapacity(min(max(version, versions.lowerBound), versions.upperBound), correction)
    }

    /// The symbol of `bytes`, in the smallest version up to `maximumVersion` (clamped to 1…40) that holds them.
    public static func encode(_ bytes: [UInt8], correction: QRErrorCorrection = .medium,
                              maximumVersion: Int = 40) throws(QREncodingError) -> QRMatrix {
        let largest = min(max(maximumVersion, versions.lowerBound), versions.upperBound)
        guard let version = (versions.lowerBound...largest).first(where: { QRVersionTable.byteCapacity($0, correction) >= bytes.count }) else {
            throw .dataTooLong(byteCount: bytes.count, capacity: QRVersionTable.byteCapacity(largest, correction))
        }
        let data = QRCodewords.data(bytes, version: version, level: correction)
        var symbol = QRSymbolBuilder(version: version)
        symbol.placeCodewords(QRCodewords.interleaved(data, version: version, level: correction))

        let unmasked = symbol.modules
        var best = (mask: 0, score: Int.max)
        for mask in 0..<8 {
            symbol.restore(unmasked)
            symbol.applyMask(mask)
            symbol.drawFormatBits(correction: correction, mask: mask)
            let score = QRMaskPenalty.score(symbol)
            if score < best.score { best = (mask, score) }
        }
        symbol.restore(unmasked)
        symbol.applyMask(best.mask)
        symbol.drawFormatBits(correction: correction, mask: best.mask)
        return QRMatrix(version: version, correction: correction, mask: best.mask, modules: symbol.modules)
    }
}
