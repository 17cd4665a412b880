/// Scales decoded pixels down by averaging each target pixel's box of source pixels. Colour is
/// weighted by alpha, so fully transparent pixels do not darken the edges of a logo.
enum PixelScaler {
    struct Pixels {
        var width: Int
        var height: Int
        var samples: [UInt8]
        var components: Int
        var alpha: [UInt8]?
    }

    /// `source` shrunk to `width`×`height` (each at most the source's, at least 1).
    static func downscale(_ source: Pixels, width: Int, height: Int) -> Pixels {
        let components = source.components
        var samples = [UInt8](repeating: 0, count: width * height * components)
        var alpha: [UInt8]? = source.alpha == nil ? nil : [UInt8](repeating: 0, count: width * height)
        var sums = [Int](repeating: 0, count: components)
        for ty in 0..<height {
            let y0 = ty * source.height / height, y1 = max(y0 + 1, (ty + 1) * source.height / height)
            for tx in 0..<width {
                let x0 = tx * source.width / width, x1 = max(x0 + 1, (tx + 1) * source.width / width)
                for c in 0..<components { sums[c] = 0 }
                var weight = 0
                for y in y0..<y1 {
                    for x in x0..<x1 {
                        let pixel = y * source.width + x
                        let a = source.alpha.map { Int($0[pixel]) } ?? 1
                        weight += a
                        for c in 0..<components { sums[c] += Int(source.samples[pixel * components + c]) * a }
                    }
                }
                let target = ty * width + tx
                if weight > 0 {
                    for c in 0..<components { samples[target * components + c] = UInt8((sums[c] + weight / 2) / weight) }
                }
                if source.alpha != nil {
                    let count = (y1 - y0) * (x1 - x0)
                    alpha?[target] = UInt8((weight + count / 2) / count)
                }
            }
        }
        return Pixels(width: width, height: height, samples: samples, components: components, alpha: alpha)
    }
}
