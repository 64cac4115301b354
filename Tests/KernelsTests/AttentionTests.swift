import Foundation
import Testing

@testable import Kernels

@Suite("Attention of one head without BLAS")
struct AttentionTests {
    @Test(
        "matches softmax(q·kᵀ·scale)·v computed in double precision, for odd lengths and strides",
        arguments: [(1, 16), (3, 32), (4, 32), (17, 32), (33, 64), (130, 32)])
    func matchesReference(length l: Int, headSize d: Int) {
        var random = SplitMix(seed: UInt64(l * 100 + d))
        let ld = 3 * d + 5
        let qkv = random.floats(l * ld, -2, 2)
        let ldo = d + 3
        var out = [Float](repeating: -9, count: l * ldo)
        var scratch = [Float](repeating: .nan, count: Attention.scratchCount(length: l, headSize: d))
        let scale: Float = 0.3
        qkv.withUnsafeBufferPointer { qkv in
            let q = qkv.baseAddress!
            out.withUnsafeMutableBufferPointer { out in
                scratch.withUnsafeMutableBufferPointer { scratch in
                    Attention.head(
                        q: q, k: q + d, v: q + 2 * d, ld: ld, length: l, headSize: d, scale: scale,
                        into: out.baseAddress!, ldo: ldo, scratch: scratch.baseAddress!)
                }
            }
        }
        for i in 0..<l {
            var scores = (0..<l).map { j in
                (0..<d).reduce(0.0) { $0 + Double(qkv[i * ld + $1]) * Double(qkv[j * ld + d + $1]) } * Double(scale)
            }
            let maximum = scores.max()!
            scores = scores.map { exp($0 - maximum) }
            let sum = scores.reduce(0, +)
            for f in 0..<d {
                let expected = (0..<l).reduce(0.0) { $0 + scores[$1] * Double(qkv[$1 * ld + 2 * d + f]) } / sum
                #expect(abs(Double(out[i * ldo + f]) - expected) < 2e-5, "(\(i), \(f))")
            }
            for gap in d..<ldo { #expect(out[i * ldo + gap] == -9) }
        }
    }

    @Test("head sizes that are not a multiple of 16 are refused by supports")
    func supportedSizes() {
        #expect(Attention.supports(headSize: 32) && Attention.supports(headSize: 64))
        #expect(!Attention.supports(headSize: 24) && !Attention.supports(headSize: 0))
    }
}
