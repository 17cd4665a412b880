/// The four error-correction levels of ISO/IEC 18004: the share of codewords a reader can
/// restore (about 7, 15, 25 and 30 %), paid for with capacity.
public enum QRErrorCorrection: Int, Sendable, CaseIterable {
    case low, medium, quartile, high

    /// The two bits the format information carries for the level (not in L, M, Q, H order).
    var formatBits: Int {
        switch self {
        case .low: 1
        case .medium: 0
        case .quartile: 3
        case .high: 2
        }
    }
}
