import Testing

@testable import Kernels

@Suite("Products with a quantised matrix")
struct QuantizedMatrixTests {
    @Test("a view checks its shape and its byte count")
    func viewValidation() throws {
        let bytes = [UInt8](repeating: 0, count: 3 * 40)
        try bytes.withUnsafeBytes { raw in
            let matrix = try QuantizedMatrix(bytes: raw, rows: 3, columns: 64, format: .q41)
            #expect(matrix.bytesPerRow == 40 && matrix.byteCount == 120)
            #expect(matrix.row(2) == raw.baseAddress! + 80)
            let tail = matrix.rows(1..<3)
            #expect(tail.rows == 2 && tail.base == matrix.row(1) && tail.columns == 64)
            #expect(throws: KernelError.byteCountMismatch(format: .q41, rows: 2, columns: 64, expected: 80, found: 120))
            {
                try QuantizedMatrix(bytes: raw, rows: 2, columns: 64, format: .q41)
            }
            #expect(throws: KernelError.rowLengthNotBlockMultiple(format: .q80, columns: 60, blockSize: 32)) {
                try QuantizedMatrix(base: raw.baseAddress!, rows: 2, columns: 60, format: .q80)
            }
            #expect(throws: KernelError.invalidDimension(name: "rows", value: 0)) {
                try QuantizedMatrix(base: raw.baseAddress!, rows: 0, columns: 64, format: .q41)
            }
            #expect(throws: KernelError.misaligned(format: .f32, alignment: 4)) {
                try QuantizedMatrix(base: raw.baseAddress! + 2, rows: 1, columns: 4, format: .f32)
            }
            #expect(throws: KernelError.misaligned(format: .f16, alignment: 2)) {
                try QuantizedMatrix(base: raw.baseAddress! + 1, rows: 1, columns: 4, format: .f16)
            }
            // Block formats are read byte by byte: any address will do.
            #expect(try QuantizedMatrix(base: raw.baseAddress! + 1, rows: 1, columns: 32, format: .q80).rows == 1)
        }
    }

    /// Shapes for the matrix–vector product: odd row counts, one row, and matrices large enough
    /// (over 16 KB) to be split across threads in pieces that do not divide the rows evenly.
    static let products: [(QuantizationFormat, Int, Int)] = [
        (.q41, 1, 64), (.q41, 7, 96), (.q41, 997, 256), (.q40, 13, 64), (.q40, 501, 256), (.q80, 5, 32),
        (.q80, 603, 128), (.f16, 3, 37), (.f16, 301, 96), (.f32, 211, 45),
    ]

    @Test("y = W·x on 1, 2 and 3 threads equals the row-by-row dot products, bit for bit", arguments: products)
    func matrixVector(format: QuantizationFormat, rows: Int, columns: Int) throws {
        var random = SplitMix(seed: UInt64(rows * 7919 + columns))
        let bytes = random.matrixBytes(format, rows: rows, columns: columns)
        let x = random.floats(columns)
        try bytes.withUnsafeBytes { raw in
            let matrix = try QuantizedMatrix(bytes: raw, rows: rows, columns: columns, format: format)
            let exact = (0..<rows).map { matrix.dot(row: $0, x) }
            var fast: [Float]?
            var activations: QuantizedActivations?
            if format.isBlockQuantized {
                let quantized = try QuantizedActivations(columns: columns)
                quantized.quantize(x)
                activations = quantized
                fast = (0..<rows).map { matrix.dot(row: $0, quantized) }
            }
            for threads in [1, 2, 3] {
                let pool = WorkerPool(threads: threads)
                var y = [Float](repeating: .nan, count: rows)
                y.withUnsafeMutableBufferPointer { matrix.multiply(x, into: $0.baseAddress!, pool: pool) }
                #expect(y == exact, "\(format) \(rows)×\(columns), \(threads) threads")
                guard let fast, let activations else { continue }
                y.withUnsafeMutableBufferPointer { matrix.multiply(activations, into: $0.baseAddress!, pool: pool) }
                #expect(y == fast, "\(format) \(rows)×\(columns) int8, \(threads) threads")
                y.withUnsafeMutableBufferPointer {
                    matrix.multiply(x, into: $0.baseAddress!, precision: .int8, pool: pool)
                }
                #expect(y == fast, "\(format) \(rows)×\(columns) int8 from floats, \(threads) threads")
            }
        }
    }

    static let batches: [(QuantizationFormat, Int, Int, Int)] = [
        (.q41, 37, 96, 1), (.q41, 37, 96, 3), (.q41, 130, 64, 5), (.q41, 997, 256, 17), (.q40, 45, 64, 9),
        (.q80, 301, 128, 6), (.f16, 61, 40, 7), (.f32, 33, 45, 4),
        // 64-row tiles at 4096 columns: several tiles per thread.
        (.q41, 150, 4096, 5),
    ]

    @Test("Y = X·Wᵀ for a batch matches the reference and the int8 batch matches the int8 vectors", arguments: batches)
    func batch(format: QuantizationFormat, rows: Int, columns: Int, count: Int) throws {
        var random = SplitMix(seed: UInt64(rows * 31 + columns * 7 + count))
        let bytes = random.matrixBytes(format, rows: rows, columns: columns)
        let (ldx, ldy) = (columns + 3, rows + 5)
        let x = random.floats(count * ldx)
        try bytes.withUnsafeBytes { raw in
            let matrix = try QuantizedMatrix(bytes: raw, rows: rows, columns: columns, format: format)
            for threads in [1, 2] {
                let pool = WorkerPool(threads: threads)
                var y = [Float](repeating: .nan, count: count * ldy)
                x.withUnsafeBufferPointer { x in
                    y.withUnsafeMutableBufferPointer {
                        matrix.multiply(
                            batch: x.baseAddress!, count: count, ldx: ldx, into: $0.baseAddress!, ldy: ldy, pool: pool)
                    }
                }
                for vector in 0..<count {
                    let input = Array(x[(vector * ldx)..<(vector * ldx + columns)])
                    for row in 0..<rows {
                        let expected = matrix.dot(row: row, input)
                        var magnitude: Float = 0
                        var weights = [Float](repeating: 0, count: columns)
                        weights.withUnsafeMutableBufferPointer { matrix.dequantizeRow(row, into: $0.baseAddress!) }
                        for column in 0..<columns { magnitude += abs(weights[column] * input[column]) }
                        let got = y[vector * ldy + row]
                        #expect(abs(got - expected) <= 1e-5 * magnitude + 1e-6, "vector \(vector) row \(row)")
                    }
                    #expect(y[vector * ldy + rows].isNaN, "the padding between rows of y stays untouched")
                }

                // 8-bit activations need whole blocks of 32 (F32 and F16 rows may be any length).
                guard columns % 32 == 0 else { continue }
                let activations = try QuantizedActivations(columns: columns, capacity: count)
                x.withUnsafeBufferPointer { activations.quantize($0.baseAddress!, rows: count, ldx: ldx) }
                var batched = [Float](repeating: .nan, count: count * ldy)
                batched.withUnsafeMutableBufferPointer {
                    matrix.multiply(batch: activations, into: $0.baseAddress!, ldy: ldy, pool: pool)
                }
                for vector in 0..<count {
                    var single = [Float](repeating: .nan, count: rows)
                    single.withUnsafeMutableBufferPointer {
                        matrix.multiply(activations, vector: vector, into: $0.baseAddress!, pool: pool)
                    }
                    let found = Array(batched[(vector * ldy)..<(vector * ldy + rows)])
                    if matrix.hasInt8Tiles && count >= QuantizedMatrix.minimumBatchForInt8Tiles {
                        // The tile kernel adds the same block terms in another order.
                        for row in 0..<rows {
                            var weights = [Float](repeating: 0, count: columns)
                            weights.withUnsafeMutableBufferPointer { matrix.dequantizeRow(row, into: $0.baseAddress!) }
                            var magnitude: Float = 0
                            for column in 0..<columns {
                                // Both the 8-bit products and the offsets' products with the exact sums.
                                magnitude +=
                                    abs(weights[column])
                                    * (abs(activations.dequantized(row: vector, column: column))
                                        + abs(x[vector * ldx + column]))
                            }
                            #expect(
                                abs(found[row] - single[row]) <= 1e-5 * magnitude + 1e-6,
                                "int8 vector \(vector) row \(row)")
                        }
                    } else {
                        #expect(found == single, "int8 vector \(vector)")
                    }
                }
            }
        }
    }
}
