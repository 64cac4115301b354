import Kernels
import Testing

@Suite("Several products of one vector in one job")
struct SharedInputTests {
    /// q, k and v of SmolLM2's shape, and odd ones whose boundaries fall inside the pieces.
    static let shapes: [[(QuantizationFormat, Int)]] = [
        [(.q41, 576), (.q41, 192), (.q41, 192)],
        [(.q41, 7), (.q80, 301), (.q40, 3), (.q41, 250)],
        [(.q80, 1)],
    ]

    @Test("each output equals that matrix's own product, bit for bit, on 1, 2 and 3 threads", arguments: shapes)
    func matchesSeparateProducts(shapes: [(QuantizationFormat, Int)]) throws {
        var random = SplitMix(seed: UInt64(shapes.count * 1000 + shapes[0].1))
        let columns = 64 * 9
        let storages = shapes.map { random.matrixBytes($0.0, rows: $0.1, columns: columns) }
        let x = random.floats(columns)
        let activations = try QuantizedActivations(columns: columns)
        activations.quantize(x)
        let buffers = storages.map { bytes in
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: bytes.count, alignment: 16)
            buffer.copyBytes(from: bytes)
            return buffer
        }
        defer { for buffer in buffers { buffer.deallocate() } }
        let matrices = try zip(shapes, buffers).map { shape, buffer in
            try QuantizedMatrix(bytes: UnsafeRawBufferPointer(buffer), rows: shape.1, columns: columns, format: shape.0)
        }
        for threads in [1, 2, 3] {
            let pool = WorkerPool(threads: threads)
            for precision in ActivationPrecision.allCases {
                let outputs = matrices.map { UnsafeMutablePointer<Float>.allocate(capacity: $0.rows) }
                defer { for output in outputs { output.deallocate() } }
                QuantizedMatrix.multiply(matrices, x, into: outputs, precision: precision, pool: pool)
                for (matrix, output) in zip(matrices, outputs) {
                    var expected = [Float](repeating: .nan, count: matrix.rows)
                    expected.withUnsafeMutableBufferPointer {
                        matrix.multiply(x, into: $0.baseAddress!, precision: precision, pool: pool)
                    }
                    #expect(Array(UnsafeBufferPointer(start: output, count: matrix.rows)) == expected, "\(precision)")
                }
                if precision == .int8 {
                    for output in outputs { output.initialize(repeating: .nan, count: 1) }
                    QuantizedMatrix.multiply(matrices, activations, into: outputs, pool: pool)
                    for (matrix, output) in zip(matrices, outputs) {
                        let expected = (0..<matrix.rows).map { matrix.dot(row: $0, activations) }
                        #expect(Array(UnsafeBufferPointer(start: output, count: matrix.rows)) == expected)
                    }
                }
            }
        }
    }
}
