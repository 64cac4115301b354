import Kernels
import Testing

@Suite("Dot products of quantised rows")
struct QuantizedDotTests {
    static let shapes: [(QuantizationFormat, Int)] = [
        (.f32, 1), (.f32, 37), (.f32, 576), (.f16, 15), (.f16, 37), (.f16, 576), (.q40, 32), (.q40, 288),
        (.q41, 32), (.q41, 96), (.q41, 576), (.q41, 1536), (.q80, 64), (.q80, 576),
    ]

    @Test("the float32 dot product is dequantise-then-dot up to summation order", arguments: shapes)
    func referenceMatchesScalar(format: QuantizationFormat, columns: Int) throws {
        var random = SplitMix(seed: UInt64(columns) &* 977 &+ UInt64(format.bytesPerBlock))
        let rows = 5
        let bytes = random.matrixBytes(format, rows: rows, columns: columns)
        let x = random.floats(columns)
        try bytes.withUnsafeBytes { raw in
            let matrix = try QuantizedMatrix(bytes: raw, rows: rows, columns: columns, format: format)
            for row in 0..<rows {
                let rowBytes = Array(bytes[(row * matrix.bytesPerRow)..<((row + 1) * matrix.bytesPerRow)])
                var expected = 0.0
                var magnitude = 0.0
                for column in 0..<columns {
                    let product = referenceValue(rowBytes, format: format, column: column) * Double(x[column])
                    expected += product
                    magnitude += abs(product)
                }
                let got = Double(matrix.dot(row: row, x))
                #expect(abs(got - expected) <= 1e-6 * magnitude + 1e-7, "\(format) row \(row): \(got) vs \(expected)")
            }
        }
    }

    @Test(
        "the int8 dot product computes exactly the quantised model: Σ d·dx·Σq·qx plus the offset on exact Σx",
        arguments: shapes.filter { $0.0.isBlockQuantized })
    func int8MatchesQuantisedModel(format: QuantizationFormat, columns: Int) throws {
        var random = SplitMix(seed: UInt64(columns) &* 13 &+ UInt64(format.bytesPerBlock))
        let rows = 9
        let bytes = random.matrixBytes(format, rows: rows, columns: columns)
        let x = random.floats(columns, -4, 4)
        let activations = try QuantizedActivations(columns: columns)
        activations.quantize(x)
        try bytes.withUnsafeBytes { raw in
            let matrix = try QuantizedMatrix(bytes: raw, rows: rows, columns: columns, format: format)
            for row in 0..<rows {
                let rowBytes = Array(bytes[(row * matrix.bytesPerRow)..<((row + 1) * matrix.bytesPerRow)])
                var expected = 0.0
                var magnitude = 0.0
                for block in 0..<(columns / 32) {
                    // The offset of each value: m for Q4_1, −8d for Q4_0, none for Q8_0.
                    let offset: Double
                    switch format {
                    case .q41: offset = half(rowBytes, at: block * 20 + 2)
                    case .q40: offset = -8 * half(rowBytes, at: block * 18)
                    default: offset = 0
                    }
                    for k in 0..<32 {
                        let column = block * 32 + k
                        let weightWithoutOffset = referenceValue(rowBytes, format: format, column: column) - offset
                        let term = weightWithoutOffset * Double(activations.dequantized(row: 0, column: column))
                        let offsetTerm = offset * Double(x[column])
                        expected += term + offsetTerm
                        magnitude += abs(term) + abs(offsetTerm)
                    }
                }
                let got = Double(matrix.dot(row: row, activations))
                #expect(abs(got - expected) <= 2e-6 * magnitude + 1e-6, "\(format) row \(row): \(got) vs \(expected)")
            }
        }
    }

    @Test("the int8 dot product stays close to the float32 one", arguments: [QuantizationFormat.q40, .q41, .q80])
    func int8CloseToReference(format: QuantizationFormat) throws {
        var random = SplitMix(seed: 99)
        let (rows, columns) = (64, 576)
        let bytes = random.matrixBytes(format, rows: rows, columns: columns)
        let x = random.floats(columns)
        let activations = try QuantizedActivations(columns: columns)
        activations.quantize(x)
        try bytes.withUnsafeBytes { raw in
            let matrix = try QuantizedMatrix(bytes: raw, rows: rows, columns: columns, format: format)
            let exact = (0..<rows).map { Double(matrix.dot(row: $0, x)) }
            let fast = (0..<rows).map { Double(matrix.dot(row: $0, activations)) }
            let dot = zip(exact, fast).reduce(0) { $0 + $1.0 * $1.1 }
            let cosine = dot / (exact.reduce(0) { $0 + $1 * $1 } * fast.reduce(0) { $0 + $1 * $1 }).squareRoot()
            #expect(cosine > 0.999, "\(format): cosine \(cosine)")
        }
    }

    @Test("F32 and F16 rows take 8-bit activations through the float path", arguments: [QuantizationFormat.f32, .f16])
    func floatFormatsWithInt8Activations(format: QuantizationFormat) throws {
        var random = SplitMix(seed: 5)
        let columns = 64
        let bytes = random.matrixBytes(format, rows: 2, columns: columns)
        let activations = try QuantizedActivations(columns: columns)
        activations.quantize(random.floats(columns))
        let decoded = (0..<columns).map { activations.dequantized(row: 0, column: $0) }
        try bytes.withUnsafeBytes { raw in
            let matrix = try QuantizedMatrix(bytes: raw, rows: 2, columns: columns, format: format)
            #expect(matrix.dot(row: 1, activations) == matrix.dot(row: 1, decoded))
        }
    }

    private func half(_ row: [UInt8], at offset: Int) -> Double {
        Double(Float16(bitPattern: UInt16(row[offset]) | UInt16(row[offset + 1]) << 8))
    }
}
