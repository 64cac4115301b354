/// How the values of a weight matrix are stored, in ggml's layouts (the formats a GGUF file uses).
///
/// The block formats cut every row into blocks of 32 values, each with its own scale (and, for
/// Q4_1, an offset), so a row length must be a multiple of 32. The raw values are ggml's names,
/// for messages; which number a file uses for which format is the file reader's business.
public enum QuantizationFormat: String, Sendable, CaseIterable {
    /// IEEE single precision, 4 bytes per value.
    case f32 = "F32"
    /// IEEE half precision, 2 bytes per value.
    case f16 = "F16"
    /// 4-bit integers q in 0...15 around 8, one half-precision scale per block: x = d·(q − 8).
    case q40 = "Q4_0"
    /// 4-bit integers q in 0...15 with a half-precision scale and offset per block: x = d·q + m.
    case q41 = "Q4_1"
    /// 8-bit integers with one half-precision scale per block: x = d·q.
    case q80 = "Q8_0"

    /// Values per block: 1 for the plain float formats, 32 for the block formats.
    public var blockSize: Int {
        switch self {
        case .f32, .f16: return 1
        case .q40, .q41, .q80: return quantizationBlockSize
        }
    }

    /// Bytes per block, as laid out by `BlockQ4_0`, `BlockQ4_1` and `BlockQ8_0`.
    public var bytesPerBlock: Int {
        switch self {
        case .f32: return 4
        case .f16: return 2
        case .q40: return BlockQ4_0.byteCount
        case .q41: return BlockQ4_1.byteCount
        case .q80: return BlockQ8_0.byteCount
        }
    }

    /// Whether the format stores integers with per-block scales (the formats with an 8-bit fast path).
    public var isBlockQuantized: Bool { blockSize > 1 }

    /// The bytes a row of `columns` values takes.
    /// - Throws: `KernelError.invalidDimension` for fewer than 1 column,
    ///   `KernelError.rowLengthNotBlockMultiple` when `columns` does not divide into whole blocks.
    public func bytesPerRow(columns: Int) throws(KernelError) -> Int {
        guard columns >= 1 else { throw .invalidDimension(name: "columns", value: columns) }
        guard columns % blockSize == 0 else {
            throw .rowLengthNotBlockMultiple(format: self, columns: columns, blockSize: blockSize)
        }
        return columns / blockSize * bytesPerBlock
    }
}

/// Values per block of every block-quantised format (ggml's QK4_0, QK4_1 and QK8_0).
public let quantizationBlockSize = 32
