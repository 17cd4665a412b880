/// A finished QR Code symbol: `size`×`size` modules, (0, 0) at the top left, without the quiet
/// zone (a reader needs 4 light modules around it; the drawing helpers add them).
public struct QRMatrix: Sendable, Equatable {
    /// The version, 1…40: the symbol is 17 + 4 × version modules wide.
    public let version: Int
    public let correction: QRErrorCorrection
    /// The data mask applied, 0…7: the one with the lowest penalty score.
    public let mask: Int
    public let size: Int
    /// Row-major, `true` = dark.
    let modules: [Bool]

    init(version: Int, correction: QRErrorCorrection, mask: Int, modules: [Bool]) {
        self.version = version
        self.correction = correction
        self.mask = mask
        self.size = QRVersionTable.size(version)
        self.modules = modules
    }

    /// Whether the module in column `x`, row `y` is dark; anything outside the symbol is light.
    public func isDark(x: Int, y: Int) -> Bool {
        guard x >= 0, y >= 0, x < size, y < size else { return false }
        return modules[y * size + x]
    }
}
