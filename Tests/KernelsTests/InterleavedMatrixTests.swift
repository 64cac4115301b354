import Kernels
import Testing

@Suite("Rows interleaved by four")
struct InterleavedMatrixTests {
    /// Formats and shapes: SmolLM2's k/v, a wide matrix split across threads, one group.
    static let shapes: [(QuantizationFormat, Int, Int)] = [
        (.q41, 192, 576), (.q41, 4, 32), (.q40, 104, 256), (.q80, 300, 128), (.q80, 1540, 576),
    ]

    /// A random matrix and its interleaved copy, alive while `body` runs.
    static func withPair<Result>(
        _ format: QuantizationFormat, rows: Int, columns: Int, seed: UInt64,
        _ body: (QuantizedMatrix, QuantizedMatrix, inout SplitMix) throws -> Result
    ) throws -> Result {
        var random = SplitMix(seed: seed)
        let bytes = random.matrixBytes(format, rows: rows, columns: columns)
        let copy = UnsafeMutableRawPointer.allocate(byteCount: bytes.count, alignment: 64)
        defer { copy.deallocate() }
        return try bytes.withUnsafeBytes { raw in
            let matrix = try QuantizedMatrix(bytes: raw, rows: rows, columns: columns, format: format)
            #expect(matrix.canInterleave)
            let interleaved = matrix.interleaved(into: copy)
            #expect(interleaved.layout == .interleaved4 && interleaved.byteCount == matrix.byteCount)
            #expect(!interleaved.canInterleave)
            return try body(matrix, interleaved, &random)
        }
    }

    @Test("rows dequantise and multiply exactly as in ggml's layout", arguments: shapes)
    func sameValues(format: QuantizationFormat, rows: Int, columns: Int) throws {
        try Self.withPair(format, rows: rows, columns: columns, seed: UInt64(rows + columns)) {
            matrix, interleaved, r in
            let x = r.floats(columns)
            var a = [Float](repeating: 0, count: columns)
            var b = [Float](repeating: 1, count: columns)
            for row in [0, 1, 2, 3, rows / 2, rows - 1] {
                a.withUnsafeMutableBufferPointer { matrix.dequantizeRow(row, into: $0.baseAddress!) }
                b.withUnsafeMutableBufferPointer { interleaved.dequantizeRow(row, into: $0.baseAddress!) }
                #expect(a == b, "row \(row)")
                #expect(matrix.dot(row: row, x) == interleaved.dot(row: row, x), "row \(row)")
            }
        }
    }

    @Test("8-bit products equal the sequential layout's bit for bit, on 1, 2 and 3 threads", arguments: shapes)
    func sameProducts(format: QuantizationFormat, rows: Int, columns: Int) throws {
        try Self.withPair(format, rows: rows, columns: columns, seed: UInt64(rows * 3 + columns)) {
            matrix, interleaved, r in
            let vectors = 3
            let x = r.floats(columns * vectors)
            let activations = try QuantizedActivations(columns: columns, capacity: vectors)
            activations.quantize(x, rows: vectors)
            for threads in [1, 2, 3] {
                let pool = WorkerPool(threads: threads)
                var expected = [Float](repeating: .nan, count: rows * vectors)
                var found = [Float](repeating: .nan, count: rows * vectors)
                expected.withUnsafeMutableBufferPointer { matrix.multiply(batch: activations, into: $0.baseAddress!) }
                found.withUnsafeMutableBufferPointer {
                    interleaved.multiply(batch: activations, into: $0.baseAddress!, pool: pool)
                }
                #expect(found == expected, "batch, \(threads) threads")
                found.withUnsafeMutableBufferPointer {
                    interleaved.multiply(activations, vector: 1, into: $0.baseAddress!, pool: pool)
                }
                #expect(Array(found.prefix(rows)) == Array(expected[rows..<(2 * rows)]), "vector 1, \(threads) threads")
                // Shared-input jobs cut the rows into pieces that need not start on a group.
                let odd = try QuantizedMatrix(
                    base: matrix.base, rows: 3, columns: columns, format: format)
                var first = [Float](repeating: .nan, count: 3)
                let outputs = [UnsafeMutablePointer<Float>.allocate(capacity: 3), .allocate(capacity: rows)]
                defer { for output in outputs { output.deallocate() } }
                QuantizedMatrix.multiply([odd, interleaved], activations, into: outputs, pool: pool)
                first.withUnsafeMutableBufferPointer { odd.multiply(activations, into: $0.baseAddress!, pool: pool) }
                #expect(Array(UnsafeBufferPointer(start: outputs[0], count: 3)) == first)
                #expect(Array(UnsafeBufferPointer(start: outputs[1], count: rows)) == Array(expected.prefix(rows)))
            }
        }
    }

    @Test("float32 products and tiles of interleaved rows equal the sequential layout's")
    func sameFloatProducts() throws {
        try Self.withPair(.q41, rows: 96, columns: 256, seed: 5) { matrix, interleaved, r in
            let m = 6
            let x = r.floats(256 * m)
            var expected = [Float](repeating: 0, count: 96 * m)
            var found = expected
            for count in [1, m] {
                expected.withUnsafeMutableBufferPointer {
                    matrix.multiply(batch: x, count: count, into: $0.baseAddress!)
                }
                found.withUnsafeMutableBufferPointer {
                    interleaved.multiply(batch: x, count: count, into: $0.baseAddress!)
                }
                #expect(found == expected, "\(count) vectors")
            }
        }
    }
}
