import Kernels
import Testing

@Suite("RMSNorm")
struct RMSNormTests {
    @Test("rows match the scalar formula, for widths with and without a tail", arguments: [1, 16, 17, 64, 576])
    func matchesReference(width: Int) {
        var random = SplitMix(seed: UInt64(width))
        let rows = 3
        let stride = width + 2
        let x = random.floats(rows * stride, -4, 4)
        let weight = random.floats(width, -2, 2)
        var out = [Float](repeating: .nan, count: rows * stride)
        x.withUnsafeBufferPointer { x in
            out.withUnsafeMutableBufferPointer {
                rmsNormRows(
                    x.baseAddress!, into: $0.baseAddress!, rows: rows, width: width, stride: stride, weight: weight,
                    epsilon: 1e-5)
            }
        }
        for row in 0..<rows {
            let expected = rmsNormReference(
                Array(x[(row * stride)..<(row * stride + width)]), weight: weight, epsilon: 1e-5)
            for column in 0..<width {
                let got = out[row * stride + column]
                #expect(
                    abs(got - expected[column]) <= 1e-6 * max(1, abs(expected[column])), "row \(row) column \(column)")
            }
            #expect(out[row * stride + width].isNaN, "the gap between rows stays untouched")
        }
    }

    @Test("normalises in place, and epsilon keeps a zero row at zero")
    func inPlaceAndZero() {
        var x: [Float] = [3, 4, 0, 0]
        let weight: [Float] = [1, 1]
        x.withUnsafeMutableBufferPointer {
            rmsNormRows($0.baseAddress!, into: $0.baseAddress!, rows: 2, width: 2, weight: weight, epsilon: 0)
        }
        // mean square of (3, 4) = 12.5, so the row is divided by √12.5.
        #expect(abs(x[0] - 3 / Float(12.5).squareRoot()) < 1e-6 && abs(x[1] - 4 / Float(12.5).squareRoot()) < 1e-6)
        var zero: [Float] = [0, 0]
        zero.withUnsafeMutableBufferPointer {
            rmsNormRows($0.baseAddress!, into: $0.baseAddress!, rows: 1, width: 2, weight: weight, epsilon: 1e-5)
        }
        #expect(zero == [0, 0])
    }
}
