import Kernels
import Testing

@Suite("Matrix products on OpenBLAS")
struct MatrixMultiplyTests {
    @Test("matmulTransposed matches the reference, and accumulates when asked")
    func matmulTransposedMatchesReference() {
        let (m, k, n) = (5, 37, 11)
        let a = (0..<(m * k)).map { Float(($0 * 13) % 17) / 17 - 0.5 }
        let w = (0..<(n * k)).map { Float(($0 * 7) % 23) / 23 - 0.5 }
        let expected = matmulTransposedReference(a, rows: m, inner: k, weights: w, outputs: n)
        var out = [Float](repeating: 1, count: m * n)
        out.withUnsafeMutableBufferPointer {
            matmulTransposed(a, rows: m, inner: k, weights: w, outputs: n, into: $0.baseAddress!)
        }
        for (got, want) in zip(out, expected) { #expect(abs(got - want) < 1e-5) }
        out.withUnsafeMutableBufferPointer {
            matmulTransposed(a, rows: m, inner: k, weights: w, outputs: n, into: $0.baseAddress!, accumulate: true)
        }
        for (got, want) in zip(out, expected) { #expect(abs(got - 2 * want) < 2e-5) }
    }

    @Test("matmul with leading dimensions reads a column block in place")
    func matmulWithStrides() {
        // a: 2×2 block out of a 2×3 matrix; b: 2×2 block out of a 2×4 matrix.
        let a: [Float] = [1, 2, 99, 3, 4, 99]
        let b: [Float] = [5, 6, 99, 99, 7, 8, 99, 99]
        var out = [Float](repeating: 0, count: 4)
        out.withUnsafeMutableBufferPointer {
            matmul(a, rows: 2, inner: 2, lda: 3, b, columns: 2, ldb: 4, into: $0.baseAddress!, ldo: 2)
        }
        #expect(out == [19, 22, 43, 50])
    }
}
