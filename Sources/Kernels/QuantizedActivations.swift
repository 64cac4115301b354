/// Activation vectors quantised to 8 bits in blocks of 32, the input of the int8 dot products.
///
/// Decoding streams every weight once per token, and with float activations the unpacking and
/// converting of 4-bit weights to floats costs more than reading them. With 8-bit activations one
/// `vpmaddubsw` multiplies 32 weight nibbles by 32 activations at once (llama.cpp's Q8_1 idea).
/// Each block of 32 values gets a scale d = max|x|/127 and q = round(x/d) in −127...127; the
/// error is at most d/2 per value, which moves the logits of a whole model by about as much as
/// llama.cpp's CPU path does (cosine ≳ 0.99 to the float32 result).
///
/// Unlike llama.cpp's d·Σq, the exact float sum of each block is kept: the Q4_1 offset term m·Σx
/// and the Q4_0 centre term −8d·Σx then carry no quantisation error at all.
///
/// Quantise a vector once and use it for every matrix that reads it (q, k and v; gate and up).
public final class QuantizedActivations {
    /// Values per row; a multiple of 32.
    public let columns: Int
    /// Rows the buffers hold.
    public let capacity: Int
    /// Rows quantised by the last `quantize`.
    public private(set) var rows = 0

    /// (capacity, columns) 8-bit values.
    let values: UnsafeMutablePointer<Int8>
    /// (capacity, columns / 32) scales d.
    let scales: UnsafeMutablePointer<Float>
    /// (capacity, columns / 32) exact sums Σx of each block.
    let sums: UnsafeMutablePointer<Float>

    var blocksPerRow: Int { columns / quantizationBlockSize }

    /// Buffers for up to `capacity` rows of `columns` values.
    /// - Throws: `KernelError.rowLengthNotBlockMultiple` when `columns` is not a multiple of 32,
    ///   `KernelError.invalidDimension` when `columns` or `capacity` is below 1.
    public init(columns: Int, capacity: Int = 1) throws(KernelError) {
        guard capacity >= 1 else { throw .invalidDimension(name: "capacity", value: capacity) }
        _ = try QuantizationFormat.q80.bytesPerRow(columns: columns)
        self.columns = columns
        self.capacity = capacity
        values = .allocate(capacity: capacity * columns)
        scales = .allocate(capacity: capacity * columns / quantizationBlockSize)
        sums = .allocate(capacity: capacity * columns / quantizationBlockSize)
    }

    deinit {
        values.deallocate()
        scales.deallocate()
        sums.deallocate()
    }

    /// Quantises `rows` rows of `columns` floats, `ldx` apart (default `columns`).
    /// - Precondition: `rows <= capacity`.
    /// - Complexity: O(rows · columns).
    public func quantize(_ x: UnsafePointer<Float>, rows: Int = 1, ldx: Int? = nil) {
        precondition(rows >= 0 && rows <= capacity, "\(rows) rows do not fit buffers for \(capacity)")
        let ldx = ldx ?? columns
        let blocks = blocksPerRow
        for row in 0..<rows {
            for block in 0..<blocks {
                let slot = row * blocks + block
                quantizeBlock(
                    x + row * ldx + block * quantizationBlockSize,
                    into: values + slot * quantizationBlockSize, scale: scales + slot, sum: sums + slot)
            }
        }
        self.rows = rows
    }

    /// The value that `quantize` stored for column `column` of row `row`, as d·q.
    public func dequantized(row: Int, column: Int) -> Float {
        let slot = row * blocksPerRow + column / quantizationBlockSize
        return Float(values[row * columns + column]) * scales[slot]
    }

    /// One block: the scale, the exact sum, and q = round(x/d) (to nearest, ties to even).
    @inline(__always)
    private func quantizeBlock(
        _ x: UnsafePointer<Float>, into q: UnsafeMutablePointer<Int8>, scale: UnsafeMutablePointer<Float>,
        sum: UnsafeMutablePointer<Float>
    ) {
        // The largest magnitude, as the largest bit pattern without the sign: for floats of one
        // sign the bit patterns order as the values do, and an integer maximum vectorises.
        let bits = UnsafeRawPointer(x).assumingMemoryBound(to: UInt32.self)
        var largest: UInt32 = 0
        for lane in 0..<32 { largest = max(largest, bits[lane] & 0x7FFF_FFFF) }
        let maximum = Float(bitPattern: largest)
        let raw = UnsafeRawPointer(x)
        let low = raw.loadUnaligned(as: Float16x.self)
        let high = raw.loadUnaligned(fromByteOffset: 64, as: Float16x.self)
        let d = maximum / 127
        scale.pointee = d
        sum.pointee = horizontalSum(low + high)
        let inverse: Float = maximum > 0 ? 127 / maximum : 0
        // Adding 1.5·2²³ rounds to an integer kept in the low mantissa bits (see `vectorExp`);
        // its low byte is q in two's complement.
        let roundingMagic: Float = 12_582_912
        for lane in 0..<32 {
            q[lane] = Int8(truncatingIfNeeded: (x[lane] * inverse + roundingMagic).bitPattern)
        }
    }
}
