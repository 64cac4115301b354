import Foundation
import Kernels
import TestSupport
import Testing

@Suite("Dequantisation")
struct DequantizeTests {
    static let shapes: [(QuantizationFormat, Int)] = [
        (.f32, 37), (.f32, 576), (.f16, 37), (.f16, 576), (.q40, 96), (.q41, 96), (.q41, 576), (.q80, 96),
        (.q80, 576),
    ]

    @Test("every format decodes exactly as the scalar reference on random rows", arguments: shapes)
    func matchesScalarReference(format: QuantizationFormat, columns: Int) throws {
        var random = SplitMix(seed: UInt64(columns) &* 31 &+ UInt64(format.bytesPerBlock))
        let rows = 3
        let bytes = random.matrixBytes(format, rows: rows, columns: columns)
        try bytes.withUnsafeBytes { raw in
            let matrix = try QuantizedMatrix(bytes: raw, rows: rows, columns: columns, format: format)
            var values = [Float](repeating: .nan, count: rows * columns)
            values.withUnsafeMutableBufferPointer { matrix.dequantize(rows: 0..<rows, into: $0.baseAddress!) }
            for row in 0..<rows {
                let rowBytes = Array(bytes[(row * matrix.bytesPerRow)..<((row + 1) * matrix.bytesPerRow)])
                for column in 0..<columns {
                    let expected = Float(referenceValue(rowBytes, format: format, column: column))
                    #expect(values[row * columns + column] == expected, "\(format) row \(row) column \(column)")
                }
            }
            var single = [Float](repeating: .nan, count: columns)
            single.withUnsafeMutableBufferPointer { matrix.dequantizeRow(2, into: $0.baseAddress!) }
            #expect(single == Array(values[(2 * columns)...]))
        }
    }

    @Test("a hand-made Q4_1 block decodes low nibbles first, then high nibbles")
    func q41NibbleOrder() throws {
        // d = 0.5, m = -1; byte k holds value k (low nibble) and value k + 16 (high nibble).
        var bytes = [UInt8](repeating: 0, count: 20)
        bytes[0] = UInt8(floatToHalf(0.5) & 0xFF)
        bytes[1] = UInt8(floatToHalf(0.5) >> 8)
        bytes[2] = UInt8(floatToHalf(-1) & 0xFF)
        bytes[3] = UInt8(floatToHalf(-1) >> 8)
        for k in 0..<16 { bytes[4 + k] = UInt8(k) | UInt8(15 - k) << 4 }
        let values = try dequantizeOneRow(bytes, format: .q41, columns: 32)
        let low: [Float] = (0..<16).map { Float($0) * 0.5 - 1 }
        let high: [Float] = (0..<16).map { Float(15 - $0) * 0.5 - 1 }
        #expect(values == low + high)
    }

    @Test("a hand-made Q4_0 block is centred on 8 and a Q8_0 block is signed")
    func q40AndQ80Signs() throws {
        var q40 = [UInt8](repeating: 0x80, count: 18)  // low nibble 0 (→ −8), high nibble 8 (→ 0)
        q40[0] = UInt8(floatToHalf(0.25) & 0xFF)
        q40[1] = UInt8(floatToHalf(0.25) >> 8)
        #expect(
            try dequantizeOneRow(q40, format: .q40, columns: 32)
                == [Float](repeating: -2, count: 16) + [Float](repeating: 0, count: 16))
        var q80 = [UInt8](repeating: 0, count: 34)
        q80[0] = UInt8(floatToHalf(2) & 0xFF)
        q80[1] = UInt8(floatToHalf(2) >> 8)
        q80[2] = 0x80  // −128
        q80[3] = 0x7F  // 127
        q80[4] = 0xFF  // −1
        let values = try dequantizeOneRow(q80, format: .q80, columns: 32)
        #expect(Array(values[0..<4]) == [-256, 254, -2, 0])
    }

    /// The first block of real SmolLM2 tensors, against gguf-py's dequantisation (7 significant
    /// digits in the fixture, so the comparison is at that precision).
    @Test("the first blocks of SmolLM2's tensors decode as gguf-py decodes them")
    func smolLM2FirstBlocks() throws {
        let json = try JSONSerialization.jsonObject(with: try TestResources.fixture("smollm2/dequant.json"))
        let tensors = try #require((json as? [String: Any])?["tensors"] as? [[String: Any]])
        var checked: [String: Int] = [:]
        for tensor in tensors {
            let name = try #require(tensor["name"] as? String)
            let type = try #require(tensor["type"] as? String)
            let format = try #require(QuantizationFormat(rawValue: type), "\(name): \(type)")
            let hex = try #require(tensor["first_block_hex"] as? String)
            let expected = try #require(tensor["row0_first64"] as? [Double])
            let bytes = try bytesFromHex(hex)
            let columns = format.isBlockQuantized ? 32 : 1
            #expect(bytes.count == format.bytesPerBlock, "\(name)")
            let values = try dequantizeOneRow(bytes, format: format, columns: columns)
            for (index, value) in values.enumerated() {
                #expect(sevenDigits(Double(value)) == sevenDigits(expected[index]), "\(name)[\(index)]")
            }
            checked[type, default: 0] += 1
        }
        #expect(checked["Q8_0"] == 1)
        #expect(checked["Q4_1", default: 0] >= 1)
    }

    private func dequantizeOneRow(_ bytes: [UInt8], format: QuantizationFormat, columns: Int) throws -> [Float] {
        try bytes.withUnsafeBytes { raw in
            let matrix = try QuantizedMatrix(bytes: raw, rows: 1, columns: columns, format: format)
            var values = [Float](repeating: .nan, count: columns)
            values.withUnsafeMutableBufferPointer { matrix.dequantizeRow(0, into: $0.baseAddress!) }
            return values
        }
    }

    private func bytesFromHex(_ hex: String) throws -> [UInt8] {
        let digits = Array(hex.utf8)
        return try stride(from: 0, to: digits.count, by: 2).map { index in
            try #require(UInt8(String(decoding: digits[index..<(index + 2)], as: UTF8.self), radix: 16))
        }
    }

    private func sevenDigits(_ value: Double) -> String { String(format: "%.6e", value) }
}
