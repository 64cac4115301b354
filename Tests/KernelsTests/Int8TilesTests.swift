import Testing

@testable import Kernels

@Suite("8-bit tiles of 4-bit matrices (prompt products)")
struct Int8TilesTests {
    /// Formats and shapes: whole panels, a last panel of 4 rows, SmolLM2's k/v and feed-forward
    /// down projection; vector counts that fill tiles of 4 and leave 1 to 3 over.
    static let cases: [(QuantizationFormat, Int, Int, Int)] = [
        (.q41, 16, 64, 4), (.q40, 20, 96, 5), (.q41, 192, 576, 7), (.q40, 100, 256, 33), (.q41, 576, 1536, 9),
    ]

    /// What the 8-bit product computes, in double precision: per block, the dequantised weights
    /// less the block's offset (m, or −8d) times the dequantised activations, plus the offset
    /// times the exact sum of the original values `x`; and the sum of the terms' magnitudes, the
    /// scale of its rounding error.
    static func exact(
        _ matrix: QuantizedMatrix, _ activations: QuantizedActivations, _ x: [Float], vector: Int, row: Int
    ) -> (Double, Double) {
        var weights = [Float](repeating: 0, count: matrix.columns)
        weights.withUnsafeMutableBufferPointer { matrix.dequantizeRow(row, into: $0.baseAddress!) }
        var sum = 0.0
        var magnitude = 0.0
        for block in 0..<(matrix.columns / 32) {
            let (_, scaleBits, minimumBits) = matrix.block(block, ofRow: row)
            let offset = Double(matrix.format == .q41 ? halfToFloat(minimumBits) : -8 * halfToFloat(scaleBits))
            var blockSum = 0.0
            for column in (block * 32)..<(block * 32 + 32) {
                let product =
                    (Double(weights[column]) - offset) * Double(activations.dequantized(row: vector, column: column))
                sum += product
                magnitude += abs(product)
                blockSum += Double(x[vector * matrix.columns + column])
            }
            sum += offset * blockSum
            magnitude += abs(offset * blockSum)
        }
        return (sum, magnitude)
    }

    @Test("tiles equal the exact sum of the 8-bit activations' products", arguments: cases)
    func exactProducts(format: QuantizationFormat, rows: Int, columns: Int, vectors: Int) throws {
        var random = SplitMix(seed: UInt64(rows * 31 + columns + vectors))
        let bytes = random.matrixBytes(format, rows: rows, columns: columns)
        let x = random.floats(columns * vectors, -3, 3)
        let activations = try QuantizedActivations(columns: columns, capacity: vectors)
        activations.quantize(x, rows: vectors)
        try bytes.withUnsafeBytes { raw in
            let matrix = try QuantizedMatrix(bytes: raw, rows: rows, columns: columns, format: format)
            #expect(matrix.hasInt8Tiles)
            var found = [Float](repeating: .nan, count: rows * vectors)
            found.withUnsafeMutableBufferPointer { matrix.multiply(batch: activations, into: $0.baseAddress!) }
            var worst = 0.0
            for vector in 0..<vectors {
                for row in 0..<rows {
                    let (sum, magnitude) = Self.exact(matrix, activations, x, vector: vector, row: row)
                    let error = abs(Double(found[vector * rows + row]) - sum) / max(magnitude, 1e-30)
                    worst = max(worst, error)
                }
            }
            // Float32 rounding of about K/32 scaled block sums and their offsets.
            #expect(worst < 1e-5, "worst relative error \(worst)")
        }
    }

    @Test("the unpacked panel holds every weight where the scalar reference reads it")
    func panelLayout() throws {
        var random = SplitMix(seed: 77)
        for format in [QuantizationFormat.q40, .q41] {
            let rows = 13
            let columns = 128
            let bytes = random.matrixBytes(format, rows: rows, columns: columns)
            let x = random.floats(columns * 2)
            let activations = try QuantizedActivations(columns: columns, capacity: 2)
            activations.quantize(x, rows: 2)
            try bytes.withUnsafeBytes { raw in
                let matrix = try QuantizedMatrix(bytes: raw, rows: rows, columns: columns, format: format)
                let panel = Int8TilePanel(blocks: columns / 32)
                panel.unpack(matrix, rows: 0..<rows)
                var tiles = [Float](repeating: .nan, count: rows * 2)
                tiles.withUnsafeMutableBufferPointer { panel.multiply(activations, into: $0.baseAddress!, ldy: rows) }
                for vector in 0..<2 {
                    for row in 0..<rows {
                        let (sum, magnitude) = Self.exact(matrix, activations, x, vector: vector, row: row)
                        let reference = panel.reference(activations, vector: vector, row: row)
                        #expect(abs(Double(reference) - sum) <= 1e-5 * magnitude, "\(format) row \(row)")
                        #expect(
                            abs(tiles[vector * rows + row] - reference) <= 1e-5 * Float(magnitude),
                            "\(format) row \(row)")
                    }
                }
            }
        }
    }

    @Test("tiles give the same bits in either row layout and on 1, 2 and 3 threads")
    func sameBitsEverywhere() throws {
        try InterleavedMatrixTests.withPair(.q41, rows: 192, columns: 576, seed: 9) { matrix, interleaved, r in
            let vectors = 11
            let activations = try QuantizedActivations(columns: 576, capacity: vectors)
            activations.quantize(r.floats(576 * vectors), rows: vectors)
            var expected = [Float](repeating: .nan, count: 192 * vectors)
            expected.withUnsafeMutableBufferPointer {
                matrix.multiply(batch: activations, into: $0.baseAddress!, pool: WorkerPool(threads: 1))
            }
            for threads in [1, 2, 3] {
                var found = [Float](repeating: .nan, count: 192 * vectors)
                found.withUnsafeMutableBufferPointer {
                    interleaved.multiply(batch: activations, into: $0.baseAddress!, pool: WorkerPool(threads: threads))
                }
                #expect(found == expected, "\(threads) threads")
            }
        }
    }

    @Test("a wider output stride leaves the columns between rows untouched")
    func outputStride() throws {
        var random = SplitMix(seed: 3)
        let bytes = random.matrixBytes(.q40, rows: 24, columns: 64)
        let activations = try QuantizedActivations(columns: 64, capacity: 6)
        activations.quantize(random.floats(64 * 6), rows: 6)
        try bytes.withUnsafeBytes { raw in
            let matrix = try QuantizedMatrix(bytes: raw, rows: 24, columns: 64, format: .q40)
            var packed = [Float](repeating: .nan, count: 24 * 6)
            packed.withUnsafeMutableBufferPointer { matrix.multiply(batch: activations, into: $0.baseAddress!) }
            var wide = [Float](repeating: -1, count: 30 * 6)
            wide.withUnsafeMutableBufferPointer {
                matrix.multiply(batch: activations, into: $0.baseAddress!, ldy: 30)
            }
            for vector in 0..<6 {
                #expect(
                    Array(wide[(vector * 30)..<(vector * 30 + 24)]) == Array(packed[(vector * 24)..<(vector * 24 + 24)])
                )
                #expect(wide[(vector * 30 + 24)..<(vector * 30 + 30)].allSatisfy { $0 == -1 })
            }
        }
    }
}
