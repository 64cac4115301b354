/// Quantisation of float rows into a block format, for writing model files.
public enum RowQuantization {
    /// Writes `count` floats (a multiple of 32) as Q8_0 blocks, as ggml's reference quantiser does:
    /// per block of 32, d = max|x| / 127 stored as half precision, q = round(x / d).
    /// - Precondition: `out` has `count / 32 * 34` bytes.
    public static func quantizeQ80(_ x: UnsafePointer<Float>, count: Int, into out: UnsafeMutableRawPointer) {
        precondition(count % quantizationBlockSize == 0)
        for block in 0..<(count / quantizationBlockSize) {
            let values = x + block * quantizationBlockSize
            var maximum: Float = 0
            for index in 0..<quantizationBlockSize { maximum = max(maximum, abs(values[index])) }
            let d = maximum / 127
            let inverse: Float = d != 0 ? 1 / d : 0
            let base = out + block * 34
            base.storeBytes(of: floatToHalf(d).littleEndian, toByteOffset: 0, as: UInt16.self)
            for index in 0..<quantizationBlockSize {
                let q = Int8(max(-127, min(127, (values[index] * inverse).rounded(.toNearestOrAwayFromZero))))
                base.storeBytes(of: q, toByteOffset: 2 + index, as: Int8.self)
            }
        }
    }
}
