/// Reed–Solomon error correction over GF(2⁸) with the QR field polynomial x⁸+x⁴+x³+x²+1 (0x11D)
/// and generator polynomials with roots α⁰…αⁿ⁻¹, as ISO/IEC 18004 prescribes.
enum ReedSolomon {
    /// αⁱ for i in 0..<510 (doubled, so a sum of two logarithms needs no modulo), and log α(x).
    private static let (exponents, logarithms): ([UInt8], [Int]) = {
        var exponents = [UInt8](repeating: 0, count: 510)
        var logarithms = [Int](repeating: 0, count: 256)
        var value = 1
        for power in 0..<255 {
            exponents[power] = UInt8(value)
            exponents[power + 255] = UInt8(value)
            logarithms[value] = power
            value <<= 1
            if value & 0x100 != 0 { value ^= 0x11D }
        }
        return (exponents, logarithms)
    }()

    static func multiply(_ a: UInt8, _ b: UInt8) -> UInt8 {
        a == 0 || b == 0 ? 0 : exponents[logarithms[Int(a)] + logarithms[Int(b)]]
    }

    /// The generator polynomial of `degree`, highest coefficient (always 1) left out.
    static func generator(degree: Int) -> [UInt8] {
        var coefficients = [UInt8](repeating: 0, count: degree)
        coefficients[degree - 1] = 1
        var root: UInt8 = 1
        for _ in 0..<degree {
            for index in 0..<degree {
                coefficients[index] = multiply(coefficients[index], root)
                if index + 1 < degree { coefficients[index] ^= coefficients[index + 1] }
            }
            root = multiply(root, 2)
        }
        return coefficients
    }

    /// The error-correction codewords of `data`: the remainder of data·xⁿ divided by the generator.
    static func remainder(of data: [UInt8], generator: [UInt8]) -> [UInt8] {
        let degree = generator.count
        let generatorLogs = generator.map { logarithms[Int($0)] }
        var remainder = [UInt8](repeating: 0, count: degree)
        for byte in data {
            let factor = byte ^ remainder[0]
            for index in 0..<(degree - 1) { remainder[index] = remainder[index + 1] }
            remainder[degree - 1] = 0
            guard factor != 0 else { continue }
            let factorLog = logarithms[Int(factor)]
            for index in 0..<degree where generator[index] != 0 {
                remainder[index] ^= exponents[generatorLogs[index] + factorLog]
            }
        }
        return remainder
    }
}
