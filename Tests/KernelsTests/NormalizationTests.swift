import Foundation
import Kernels
import Testing

@Suite("LayerNorm, softmax and L2 normalisation")
struct NormalizationTests {
    func pseudoRandom(_ count: Int, seed: Int) -> [Float] {
        (0..<count).map { index -> Float in
            let angle = Double(index * 7919 + seed * 104_729) * 0.001
            return Float(sin(angle)) * 3 + 0.5
        }
    }

    @Test("layerNormRows with a residual matches the double-precision reference")
    func layerNormMatchesReference() {
        for width in [7, 16, 384, 385] {
            let rows = 3
            var x = pseudoRandom(rows * width, seed: width)
            let residual = pseudoRandom(rows * width, seed: width + 1)
            let gamma = pseudoRandom(width, seed: 2)
            let beta = pseudoRandom(width, seed: 3)
            let expected = (0..<rows).flatMap { row in
                layerNormReference(
                    (0..<width).map { x[row * width + $0] + residual[row * width + $0] }, gamma: gamma, beta: beta,
                    epsilon: 1e-12)
            }
            x.withUnsafeMutableBufferPointer { out in
                layerNormRows(
                    out.baseAddress!, residual: residual, rows: rows, width: width, gamma: gamma, beta: beta,
                    epsilon: 1e-12)
            }
            for (got, want) in zip(x, expected) {
                #expect(abs(got - want) < 2e-5, "width \(width): \(got) vs \(want)")
            }
        }
    }

    @Test("softmaxRows sums to one and matches the reference, with a stride")
    func softmaxMatchesReference() {
        for width in [1, 5, 16, 33, 256] {
            let stride = width + 3
            var x = pseudoRandom(2 * stride, seed: width).map { $0 * 10 }
            let expected = (0..<2).map { softmaxReference(Array(x[($0 * stride)..<($0 * stride + width)])) }
            x.withUnsafeMutableBufferPointer { softmaxRows($0.baseAddress!, rows: 2, width: width, stride: stride) }
            for row in 0..<2 {
                let got = Array(x[(row * stride)..<(row * stride + width)])
                #expect(abs(got.reduce(0, +) - 1) < 1e-5)
                for (a, b) in zip(got, expected[row]) { #expect(abs(a - b) < 1e-6) }
            }
        }
    }

    @Test("softmax of a row with huge values does not overflow")
    func softmaxIsStable() {
        var x: [Float] = [1000, 1000, -1000]
        x.withUnsafeMutableBufferPointer { softmaxRows($0.baseAddress!, rows: 1, width: 3, stride: 3) }
        #expect(abs(x[0] - 0.5) < 1e-6 && abs(x[1] - 0.5) < 1e-6 && x[2] == 0)
    }

    @Test("l2NormalizeInPlace gives unit length and leaves a zero vector at zero")
    func l2Normalize() {
        var x: [Float] = [3, 4]
        x.withUnsafeMutableBufferPointer { l2NormalizeInPlace($0.baseAddress!, count: 2) }
        #expect(abs(x[0] - 0.6) < 1e-7 && abs(x[1] - 0.8) < 1e-7)
        var zero: [Float] = [0, 0, 0]
        zero.withUnsafeMutableBufferPointer { l2NormalizeInPlace($0.baseAddress!, count: 3) }
        #expect(zero == [0, 0, 0])
    }
}
