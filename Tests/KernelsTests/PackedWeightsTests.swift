import Kernels
import Testing

@Suite("Packed weight matrix products")
struct PackedWeightsTests {
    func values(_ count: Int, seed: Int) -> [Float] {
        (0..<count).map { Float(($0 * 7919 + seed * 104_729) % 2003) / 1001.5 - 1 }
    }

    @Test(
        "multiply matches the reference for every row count, ragged panels and odd widths",
        arguments: [(1, 16, 8), (3, 37, 5), (4, 16, 384), (7, 100, 33), (9, 1, 1), (130, 48, 17)])
    func matchesReference(m: Int, n: Int, k: Int) {
        let x = values(m * k, seed: 1)
        let w = values(n * k, seed: 2)
        let bias = values(n, seed: 3)
        let packed = w.withUnsafeBufferPointer { PackedWeights(rowMajor: $0.baseAddress!, outputs: n, inputs: k) }
        #expect(packed.panelCount == (n + 15) / 16)
        var out = [Float](repeating: .nan, count: m * n)
        out.withUnsafeMutableBufferPointer { packed.multiply(x, rows: m, bias: bias, into: $0.baseAddress!) }
        let product = matmulTransposedReference(x, rows: m, inner: k, weights: w, outputs: n)
        for row in 0..<m {
            for column in 0..<n {
                let expected = product[row * n + column] + bias[column]
                #expect(abs(out[row * n + column] - expected) <= 1e-5 * Float(k), "(\(row), \(column))")
            }
        }
    }

    @Test("GELU is applied to the outputs, and separate panel ranges add up to the whole")
    func geluAndPanelRanges() {
        let (m, n, k) = (6, 40, 24)
        let x = values(m * k, seed: 4)
        let w = values(n * k, seed: 5)
        let packed = w.withUnsafeBufferPointer { PackedWeights(rowMajor: $0.baseAddress!, outputs: n, inputs: k) }
        var whole = [Float](repeating: 0, count: m * n)
        whole.withUnsafeMutableBufferPointer {
            packed.multiply(x, rows: m, bias: nil, activation: .gelu, into: $0.baseAddress!)
        }
        var split = [Float](repeating: 0, count: m * n)
        split.withUnsafeMutableBufferPointer { out in
            for range in Parallel.ranges(of: packed.panelCount, parts: 2, granule: 1) {
                packed.multiply(x, rows: m, bias: nil, activation: .gelu, into: out.baseAddress!, panels: range)
            }
        }
        #expect(whole == split)
        let product = matmulTransposedReference(x, rows: m, inner: k, weights: w, outputs: n)
        for (got, plain) in zip(whole, product) {
            #expect(abs(got - geluReference(plain)) < 1e-5)
        }
    }

    @Test("strided inputs and outputs leave the gaps untouched")
    func strides() {
        let (m, n, k) = (5, 16, 8)
        let x = values(m * (k + 3), seed: 6)
        let w = values(n * k, seed: 7)
        let packed = w.withUnsafeBufferPointer { PackedWeights(rowMajor: $0.baseAddress!, outputs: n, inputs: k) }
        var out = [Float](repeating: -7, count: m * (n + 2))
        out.withUnsafeMutableBufferPointer {
            packed.multiply(x, rows: m, ldx: k + 3, bias: nil, into: $0.baseAddress!, ldo: n + 2)
        }
        let dense = (0..<m).flatMap { row in x[(row * (k + 3))..<(row * (k + 3) + k)] }
        let product = matmulTransposedReference(Array(dense), rows: m, inner: k, weights: w, outputs: n)
        for row in 0..<m {
            for column in 0..<n {
                #expect(abs(out[row * (n + 2) + column] - product[row * n + column]) < 1e-5)
            }
            #expect(out[row * (n + 2) + n] == -7 && out[row * (n + 2) + n + 1] == -7)
        }
    }

    @Test("Parallel.ranges covers the whole range in granule-sized pieces")
    func ranges() {
        #expect(Parallel.ranges(of: 100, parts: 2) == [0..<64, 64..<100])
        #expect(Parallel.ranges(of: 5, parts: 3, granule: 1) == [0..<2, 2..<4, 4..<5])
        #expect(Parallel.ranges(of: 0, parts: 2).isEmpty)
        #expect(Parallel.ranges(of: 3, parts: 8, granule: 1) == [0..<1, 1..<2, 2..<3])
    }
}
