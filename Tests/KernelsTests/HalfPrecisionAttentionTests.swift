import Foundation
import Kernels
import Testing

@Suite("Attention of one query over half-precision keys and values")
struct HalfPrecisionAttentionTests {
    @Test(
        "equals softmax(scale·q·Kᵀ)·V computed in double precision, to 1e-5",
        arguments: [(1, 64), (7, 64), (8, 64), (37, 128), (640, 64)])
    func matchesReference(length: Int, headSize: Int) throws {
        var random = SplitMix(seed: UInt64(length * 131 + headSize))
        // Three heads per row, as a cache row of SmolLM2 holds; the head under test is the middle one.
        let stride = 3 * headSize
        let keys = random.floats(length * stride, -2, 2).map { Float16($0).bitPattern }
        let values = random.floats(length * stride, -2, 2).map { Float16($0).bitPattern }
        let query = random.floats(headSize, -2, 2)
        let scale = 1 / Float(headSize).squareRoot()
        var out = [Float](repeating: .nan, count: headSize)
        var scores = [Float](repeating: .nan, count: length)
        keys.withUnsafeBufferPointer { k in
            values.withUnsafeBufferPointer { v in
                attendOneQuery(
                    query, keys: k.baseAddress! + headSize, values: v.baseAddress! + headSize, stride: stride,
                    length: length, headSize: headSize, scale: scale, scores: &scores, into: &out)
            }
        }
        func half(_ bits: UInt16) -> Double { Double(Float(Float16(bitPattern: bits))) }
        var weights = (0..<length).map { t in
            (0..<headSize).reduce(0.0) { $0 + Double(query[$1]) * half(keys[t * stride + headSize + $1]) }
                * Double(scale)
        }
        let largest = weights.max()!
        weights = weights.map { exp($0 - largest) }
        let total = weights.reduce(0, +)
        for d in 0..<headSize {
            let expected = (0..<length).reduce(0.0) {
                $0 + weights[$1] / total * half(values[$1 * stride + headSize + d])
            }
            #expect(abs(Double(out[d]) - expected) < 1e-5, "column \(d): \(out[d]) vs \(expected)")
        }
    }
}
