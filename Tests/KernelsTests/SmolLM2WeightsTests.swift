import Foundation
import Kernels
import TestSupport
import Testing

/// The kernels on the real weights of the default generator, against gguf-py's dequantisation
/// and transformers' logits (../shared/fixtures/smollm2). The byte ranges of the tensors come from
/// the fixture, so no GGUF reader is involved.
@Suite("SmolLM2-135M's real weights")
struct SmolLM2WeightsTests {
    struct Tensor {
        let name: String
        let format: QuantizationFormat
        let rows: Int
        let columns: Int
        let offset: Int
        let byteCount: Int
        let fixture: [String: Any]
    }

    static func tensors() throws -> [Tensor] {
        let json = try JSONSerialization.jsonObject(with: try TestResources.fixture("smollm2/dequant.json"))
        let entries = try #require((json as? [String: Any])?["tensors"] as? [[String: Any]])
        return try entries.map { entry in
            let shape = try #require(entry["gguf_shape_ne"] as? [Int])
            let type = try #require(entry["type"] as? String)
            return Tensor(
                name: try #require(entry["name"] as? String),
                format: try #require(QuantizationFormat(rawValue: type)),
                rows: shape.count > 1 ? shape[1] : 1, columns: shape[0],
                offset: try #require(entry["data_offset_in_file"] as? Int),
                byteCount: try #require(entry["n_bytes"] as? Int), fixture: entry)
        }
    }

    /// Calls `body` with a view of the tensor's bytes read from the model file.
    static func withMatrix<Result>(_ tensor: Tensor, _ body: (QuantizedMatrix) throws -> Result) throws -> Result {
        let data = try TestResources.smolLM2Bytes(offset: tensor.offset, count: tensor.byteCount)
        return try data.withUnsafeBytes { raw in
            try body(try QuantizedMatrix(bytes: raw, rows: tensor.rows, columns: tensor.columns, format: tensor.format))
        }
    }

    private func sevenDigits(_ value: Double) -> String { String(format: "%.6e", value) }

    @Test("whole tensors dequantise to gguf-py's sums, first rows and last values")
    func wholeTensors() throws {
        for tensor in try Self.tensors() {
            try Self.withMatrix(tensor) { matrix in
                var row = [Float](repeating: 0, count: matrix.columns)
                var sum = 0.0
                var sumAbs = 0.0
                for index in 0..<matrix.rows {
                    row.withUnsafeMutableBufferPointer { matrix.dequantizeRow(index, into: $0.baseAddress!) }
                    for value in row {
                        sum += Double(value)
                        sumAbs += abs(Double(value))
                    }
                    let expected: [Double]? =
                        switch index {
                        case 0: tensor.fixture["row0_first64"] as? [Double]
                        case 1: tensor.fixture["row1_first64"] as? [Double]
                        default: nil
                        }
                    for (column, value) in (expected ?? []).enumerated() {
                        #expect(
                            sevenDigits(Double(row[column])) == sevenDigits(value),
                            "\(tensor.name)[\(index), \(column)]")
                    }
                }
                let last = try #require(tensor.fixture["last_row_last8"] as? [Double])
                for (offset, value) in last.enumerated() {
                    let got = Double(row[matrix.columns - 8 + offset])
                    #expect(sevenDigits(got) == sevenDigits(value), "\(tensor.name) last row [\(offset)]")
                }
                let expectedSum = try #require(tensor.fixture["sum_f64"] as? Double)
                let expectedAbs = try #require(tensor.fixture["sum_abs_f64"] as? Double)
                #expect(abs(sum - expectedSum) <= 1e-9 * expectedAbs, "\(tensor.name): sum \(sum) vs \(expectedSum)")
                #expect(abs(sumAbs - expectedAbs) <= 1e-9 * expectedAbs, "\(tensor.name): |sum| \(sumAbs)")
            }
        }
    }

    /// Row 30 of `hidden_prompt0_lastpos.f32` is the last position's input of the tied output
    /// layer (token_embd, Q8_0); transformers' logits are the float32 product with it.
    @Test("the tied output layer reproduces transformers' logits, exactly in float32 and closely in int8")
    func outputLayer() throws {
        let tensor = try #require(try Self.tensors().first { $0.name == "token_embd.weight" })
        let hidden = try TestResources.floats("smollm2/hidden_prompt0_lastpos.f32")
        let reference = try TestResources.floats("smollm2/logits_prompt0.f32")
        let x = Array(hidden[(30 * 576)..<(31 * 576)])
        let (exact, fast) = try Self.withMatrix(tensor) { matrix in
            var exact = [Float](repeating: .nan, count: matrix.rows)
            var fast = exact
            exact.withUnsafeMutableBufferPointer { matrix.multiply(x, into: $0.baseAddress!, precision: .float32) }
            fast.withUnsafeMutableBufferPointer { matrix.multiply(x, into: $0.baseAddress!, precision: .int8) }
            return (exact, fast)
        }
        #expect(reference.count == 49_152)
        func argmax(_ values: [Float]) -> Int { values.indices.max { values[$0] < values[$1] }! }
        let largestError = zip(exact, reference).map { abs($0 - $1) }.max()!
        #expect(largestError < 1e-3, "float32 logits differ by up to \(largestError)")
        #expect(argmax(exact) == argmax(reference))
        var dot = 0.0
        var fastSquares = 0.0
        var referenceSquares = 0.0
        for (a, b) in zip(fast, reference) {
            dot += Double(a) * Double(b)
            fastSquares += Double(a) * Double(a)
            referenceSquares += Double(b) * Double(b)
        }
        let cosine = dot / (fastSquares * referenceSquares).squareRoot()
        #expect(cosine > 0.9999, "int8 logits cosine \(cosine)")
        #expect(argmax(fast) == argmax(reference))
    }
}
