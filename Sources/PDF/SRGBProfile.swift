import Foundation

/// An ICC v2 display profile for sRGB (IEC 61966-2.1), built here so that the archival output
/// intent carries a profile whose every byte is accounted for (ICC.1:2001-04, the v2 format that
/// PDF/A validators and colour engines all read).
///
/// Matrix/TRC model: three colorants (the sRGB primaries adapted to the D50 connection space
/// with the Bradford transform, as the ICC's own sRGB profile has them), the D65 media white
/// point, and the sRGB tone curve sampled 1024 times for each channel.
public enum SRGBProfile {
    /// The `/OutputConditionIdentifier` of the output intent that carries this profile.
    public static let conditionIdentifier = "sRGB IEC61966-2.1"

    /// The profile's bytes (about 2.5 KB), built once.
    public static let bytes: [UInt8] = build()
    /// `bytes` zlib-compressed once, as every archival document embeds the same stream.
    static let compressed: [UInt8] = Deflate.zlib(bytes)

    /// The sRGB decoding function, 0…1 → 0…1 linear light (IEC 61966-2.1 §5.2).
    static func linear(_ encoded: Double) -> Double {
        encoded <= 0.04045 ? encoded / 12.92 : pow((encoded + 0.055) / 1.055, 2.4)
    }

    static let curvePoints = 1024
    /// D50, the profile connection space illuminant (ICC.1 §6.3.4.3).
    static let d50 = (x: 0.9642, y: 1.0, z: 0.8249)
    /// D65 in XYZ, the sRGB reference white (media white point of a v2 display profile).
    static let d65 = whitePoint(x: 0.3127, y: 0.3290)
    /// Red, green and blue colorants in the D50 connection space: the columns of the sRGB → XYZ
    /// matrix (IEC 61966-2.1 primaries, D65 white) adapted to D50 with the Bradford transform.
    /// They add up to D50.
    static let colorants: [(x: Double, y: Double, z: Double)] = {
        let primaries = [(0.64, 0.33), (0.30, 0.60), (0.15, 0.06)].map { whitePoint(x: $0.0, y: $0.1) }
        let matrix = Matrix3(columns: primaries)
        // Scale each primary so that full red + green + blue is the white point.
        let scale = matrix.inverse.times((d65.x, d65.y, d65.z))
        let rgbToXYZ = Matrix3(columns: (0..<3).map { (primaries[$0].x * scale[$0], primaries[$0].y * scale[$0], primaries[$0].z * scale[$0]) })
        let bradford = Matrix3(rows: [(0.8951, 0.2664, -0.1614), (-0.7502, 1.7135, 0.0367), (0.0389, -0.0685, 1.0296)])
        let source = bradford.times((d65.x, d65.y, d65.z)), target = bradford.times((d50.x, d50.y, d50.z))
        let cone = Matrix3(rows: [(target[0] / source[0], 0, 0), (0, target[1] / source[1], 0), (0, 0, target[2] / source[2])])
        let adapted = bradford.inverse.multiplied(by: cone.multiplied(by: bradford.multiplied(by: rgbToXYZ)))
        return (0..<3).map { (adapted.rows[0][$0], adapted.rows[1][$0], adapted.rows[2][$0]) }
    }()

    /// XYZ with Y = 1 of the chromaticity (x, y).
    private static func whitePoint(x: Double, y: Double) -> (x: Double, y: Double, z: Double) {
        (x / y, 1, (1 - x - y) / y)
    }

    private static func build() -> [UInt8] {
        let description = textDescription("sRGB IEC61966-2.1 (Billport)")
        let copyright = text("No copyright, use freely")
        let white = xyz(d65)
        let red = xyz(colorants[0]), green = xyz(colorants[1]), blue = xyz(colorants[2])
        let curve = toneCurve()
        // Tags in order; the three TRC tags share one curve (ICC.1 §6.5: tags may share data).
        let tags: [(signature: String, data: [UInt8])] = [
            ("desc", description), ("cprt", copyright), ("wtpt", white),
            ("rXYZ", red), ("gXYZ", green), ("bXYZ", blue),
            ("rTRC", curve), ("gTRC", curve), ("bTRC", curve),
        ]
        let tableSize = 4 + 12 * tags.count
        var table = ICCBytes()
        table.u32(UInt32(tags.count))
        var data = ICCBytes()
        var sharedCurveOffset: Int?
        for tag in tags {
            var offset = 128 + tableSize + data.bytes.count
            if tag.signature.hasSuffix("TRC") {
                if let shared = sharedCurveOffset { offset = shared } else {
                    sharedCurveOffset = offset
                    data.append(tag.data)
                }
            } else {
                data.append(tag.data)
            }
            table.signature(tag.signature)
            table.u32(UInt32(offset))
            table.u32(UInt32(tag.data.count))
        }
        let size = 128 + tableSize + data.bytes.count
        return header(size: size) + table.bytes + data.bytes
    }

    /// The 128-byte header (ICC.1 §6.1).
    private static func header(size: Int) -> [UInt8] {
        var out = ICCBytes()
        out.u32(UInt32(size))
        out.u32(0)                       // preferred CMM: none
        out.u32(0x0210_0000)             // version 2.1.0
        out.signature("mntr")            // display device
        out.signature("RGB ")
        out.signature("XYZ ")            // connection space
        for part in [2026, 1, 1, 0, 0, 0] { out.u16(UInt16(part)) }
        out.signature("acsp")
        out.u32(0)                       // primary platform: none
        out.u32(0)                       // flags: not embedded-only, independent
        out.u32(0)                       // device manufacturer
        out.u32(0)                       // device model
        out.u32(0); out.u32(0)           // device attributes: reflective, glossy
        out.u32(0)                       // rendering intent: perceptual
        out.s15Fixed16(d50.x); out.s15Fixed16(d50.y); out.s15Fixed16(d50.z)
        out.u32(0)                       // creator
        out.pad(to: 128)                 // profile id (v4 only) and reserved bytes
        return out.bytes
    }

    /// `curv` with the sRGB decoding function sampled evenly (ICC.1 §6.5.3).
    private static func toneCurve() -> [UInt8] {
        var out = ICCBytes()
        out.signature("curv")
        out.u32(0)
        out.u32(UInt32(curvePoints))
        for index in 0..<curvePoints {
            let value = linear(Double(index) / Double(curvePoints - 1))
            out.u16(UInt16((value * 65535).rounded()))
        }
        out.pad(to: (out.bytes.count + 3) / 4 * 4)
        return out.bytes
    }

    private static func xyz(_ value: (x: Double, y: Double, z: Double)) -> [UInt8] {
        var out = ICCBytes()
        out.signature("XYZ ")
        out.u32(0)
        out.s15Fixed16(value.x); out.s15Fixed16(value.y); out.s15Fixed16(value.z)
        return out.bytes
    }

    /// `text`: NUL-terminated ASCII (ICC.1 §6.5.18).
    private static func text(_ string: String) -> [UInt8] {
        var out = ICCBytes()
        out.signature("text")
        out.u32(0)
        out.append(Array(string.utf8) + [0])
        out.pad(to: (out.bytes.count + 3) / 4 * 4)
        return out.bytes
    }

    /// `desc` of v2 (ICC.1 §6.5.17): ASCII, then empty Unicode and ScriptCode parts.
    private static func textDescription(_ string: String) -> [UInt8] {
        var out = ICCBytes()
        out.signature("desc")
        out.u32(0)
        let ascii = Array(string.utf8) + [0]
        out.u32(UInt32(ascii.count))
        out.append(ascii)
        out.u32(0)                       // Unicode language code
        out.u32(0)                       // Unicode count
        out.u16(0)                       // ScriptCode code
        out.append([0])                  // ScriptCode count
        out.append([UInt8](repeating: 0, count: 67))
        out.pad(to: (out.bytes.count + 3) / 4 * 4)
        return out.bytes
    }
}

/// Big-endian ICC fields.
private struct ICCBytes {
    var bytes: [UInt8] = []

    mutating func append(_ more: [UInt8]) { bytes += more }
    mutating func u16(_ value: UInt16) { bytes += [UInt8(value >> 8), UInt8(value & 0xFF)] }
    mutating func u32(_ value: UInt32) { bytes += [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)] }
    mutating func signature(_ text: String) { bytes += Array(text.utf8.prefix(4)) }
    /// Signed 15.16 fixed point (ICC.1 §5.3.3).
    mutating func s15Fixed16(_ value: Double) { u32(UInt32(bitPattern: Int32((value * 65536).rounded()))) }
    mutating func pad(to count: Int) { if bytes.count < count { bytes += [UInt8](repeating: 0, count: count - bytes.count) } }
}

/// A 3×3 matrix, just enough for the chromatic adaptation above.
private struct Matrix3 {
    let rows: [[Double]]

    init(rows: [(Double, Double, Double)]) { self.rows = rows.map { [$0.0, $0.1, $0.2] } }
    init(columns: [(x: Double, y: Double, z: Double)]) {
        rows = [columns.map(\.x), columns.map(\.y), columns.map(\.z)]
    }
    private init(_ rows: [[Double]]) { self.rows = rows }

    func times(_ vector: (Double, Double, Double)) -> [Double] {
        rows.map { $0[0] * vector.0 + $0[1] * vector.1 + $0[2] * vector.2 }
    }

    func multiplied(by other: Matrix3) -> Matrix3 {
        Matrix3((0..<3).map { row in (0..<3).map { column in (0..<3).reduce(0) { $0 + rows[row][$1] * other.rows[$1][column] } } })
    }

    /// By the adjugate; the matrices here are well conditioned.
    var inverse: Matrix3 {
        let m = rows
        func cofactor(_ r: Int, _ c: Int) -> Double {
            let r1 = (r + 1) % 3, r2 = (r + 2) % 3, c1 = (c + 1) % 3, c2 = (c + 2) % 3
            return m[r1][c1] * m[r2][c2] - m[r1][c2] * m[r2][c1]
        }
        let determinant = (0..<3).reduce(0) { $0 + m[0][$1] * cofactor(0, $1) }
        return Matrix3((0..<3).map { row in (0..<3).map { column in cofactor(column, row) / determinant } })
    }
}
