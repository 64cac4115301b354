/// Block-quantised matrices with their rows interleaved four at a time: the layout the 8-bit
/// decoding kernels read fastest.
///
/// In ggml's layout each row's blocks follow one another, so a kernel that multiplies four rows at
/// once reads four streams, which the hardware prefetcher does not follow (see `Lookahead`), and
/// gathers the four rows' half-precision scales one at a time. Interleaved, block b of rows
/// 4g…4g+3 is one record: the four scales, for Q4_1 the four minimums, then the four rows' values,
///
///     Q4_0   [d0 d1 d2 d3] [16 B row 0] [16 B row 1] [16 B row 2] [16 B row 3]     72 bytes
///     Q4_1   [d0 d1 d2 d3] [m0 m1 m2 m3] [4 × 16 B]                                80 bytes
///     Q8_0   [d0 d1 d2 d3] [32 B row 0] … [32 B row 3]                            136 bytes
///
/// and the records of a group follow one another: a group of four rows is one sequential stream,
/// and its four scales are one `vcvtph2ps`. The bytes are those of the four rows reordered, so the
/// matrix takes exactly as much memory as in ggml's layout (`bytesPerRow` and `byteCount` keep
/// their meaning). Rows are interleaved only in whole groups: the row count is a multiple of 4.

/// How the rows of a `QuantizedMatrix` are ordered in memory.
public enum RowLayout: Sendable {
    /// ggml's: row after row, each row's blocks in order.
    case sequential
    /// Four rows per group, block b of the four rows stored together (see above).
    case interleaved4
}

extension QuantizedMatrix {
    /// Whether `interleaved(into:)` applies: a block format, whole groups of four rows, and rows
    /// not interleaved already.
    public var canInterleave: Bool { format.isBlockQuantized && rows % 4 == 0 && layout == .sequential }

    /// Copies the matrix into `storage`, which must hold `byteCount` bytes, with its rows
    /// interleaved four at a time, and returns a view of the copy (the caller keeps `storage` alive).
    /// - Precondition: `canInterleave`.
    /// - Complexity: O(N·K).
    public func interleaved(into storage: UnsafeMutableRawPointer) -> QuantizedMatrix {
        precondition(canInterleave, "\(format) \(rows)×\(columns) cannot be interleaved")
        let blockBytes = format.bytesPerBlock
        let payload = format == .q80 ? 32 : 16
        // Two bytes per half-precision field: d (and, for Q4_1, m).
        let header = blockBytes - payload
        let blocks = columns / quantizationBlockSize
        for group in 0..<(rows / 4) {
            for block in 0..<blocks {
                let record = storage + (group * blocks + block) * 4 * blockBytes
                for lane in 0..<4 {
                    let source = row(group * 4 + lane) + block * blockBytes
                    for field in 0..<(header / 2) {
                        (record + field * 8 + lane * 2).copyMemory(from: source + field * 2, byteCount: 2)
                    }
                    (record + 4 * header + lane * payload).copyMemory(from: source + header, byteCount: payload)
                }
            }
        }
        return QuantizedMatrix(
            unchecked: storage, rows: rows, columns: columns, format: format, bytesPerRow: bytesPerRow,
            layout: .interleaved4)
    }

    /// Writes blocks `blocks` of interleaved row `index` as floats (exact, as `dequantizeRow`).
    /// - Complexity: O(blocks.count · 32).
    func dequantizeInterleavedRow(_ index: Int, blocks: Range<Int>, into out: UnsafeMutablePointer<Float>) {
        let recordBytes = 4 * format.bytesPerBlock
        // Block `blocks.lowerBound` of the row's group, moved to the row's lane.
        let start = base + index / 4 * 4 * bytesPerRow + blocks.lowerBound * recordBytes
        let lane = index % 4
        let count = blocks.count
        @inline(__always)
        func each(_ body: (UnsafeRawPointer, UInt16, UnsafeMutablePointer<Float>) -> Void) {
            for block in 0..<count {
                let record = start + block * recordBytes
                body(
                    record, record.loadUnaligned(fromByteOffset: lane * 2, as: UInt16.self),
                    out + block * quantizationBlockSize)
            }
        }
        switch format {
        case .q40:
            each { record, scale, target in
                dequantizeQ40Values(scale: scale, nibbles: record + 8 + lane * 16, into: target)
            }
        case .q41:
            each { record, scale, target in
                dequantizeQ41Values(
                    scale: scale, minimum: record.loadUnaligned(fromByteOffset: 8 + lane * 2, as: UInt16.self),
                    nibbles: record + 16 + lane * 16, into: target)
            }
        case .q80:
            each { record, scale, target in
                dequantizeQ80Values(scale: scale, values: record + 8 + lane * 32, into: target)
            }
        case .f32, .f16:
            preconditionFailure("\(format) rows are never interleaved")
        }
    }

    /// `dotReference` of interleaved row `index`: dequantised 256 values at a time, as
    /// `dotReference` does, so that the result is bit for bit that of the sequential layout.
    /// - Complexity: O(K).
    func interleavedReferenceDot(row index: Int, _ x: UnsafePointer<Float>) -> Float {
        let chunkBlocks = 8
        return withUnsafeTemporaryAllocation(of: Float.self, capacity: chunkBlocks * quantizationBlockSize) {
            buffer in
            let values = buffer.baseAddress!
            let blocks = columns / quantizationBlockSize
            var sum: Float = 0
            var block = 0
            while block < blocks {
                let end = min(blocks, block + chunkBlocks)
                dequantizeInterleavedRow(index, blocks: block..<end, into: values)
                sum += Kernels.dot(
                    values, x + block * quantizationBlockSize, count: (end - block) * quantizationBlockSize)
                block = end
            }
            return sum
        }
    }
}
