import Testing

@testable import Kernels

@Suite("Int8 weight panels and their integer matrix product")
struct Int8PackedWeightsTests {
    static let encodings: [Int8Encoding] = [.unsigned7, .signed8]

    func weights(_ w: [Float], _ n: Int, _ k: Int, _ encoding: Int8Encoding, ratio: Float = 8) -> Int8PackedWeights {
        w.withUnsafeBufferPointer {
            Int8PackedWeights(
                rowMajor: $0.baseAddress!, outputs: n, inputs: k, encoding: encoding, outlierColumnRatio: ratio)
        }
    }

    func quantized(_ x: [Float], rows m: Int, for packed: Int8PackedWeights, outliers: Int = 4) -> Int8Activations {
        let activations = Int8Activations(inputs: packed.inputs, outliersPerRow: outliers)
        activations.quantize(x, rows: m, for: packed)
        return activations
    }

    /// The kernel's 32-bit sums, row by row, N padded to whole panels.
    func kernelSums(_ packed: Int8PackedWeights, _ x: Int8Activations) -> [Int32] {
        let ldo = packed.panelCount * Int8PackedWeights.panelWidth
        var sums = [Int32](repeating: -1, count: max(x.rows * ldo, 1))
        sums.withUnsafeMutableBufferPointer { packed.accumulators(x, into: $0.baseAddress!, ldo: ldo) }
        return sums
    }

    @Test(
        "integer sums equal exact scalar sums for odd and ragged shapes",
        arguments: [(1, 1, 1), (3, 17, 5), (4, 16, 384), (7, 33, 37), (9, 40, 1536), (130, 48, 17)])
    func integerSumsAreExact(m: Int, n: Int, k: Int) {
        var random = SplitMix(seed: UInt64(m * 1000 + n * 10 + k))
        let w = random.floats(n * k)
        let x = random.floats(m * k, -3, 3)
        for encoding in Self.encodings {
            let packed = weights(w, n, k, encoding)
            let activations = quantized(x, rows: m, for: packed)
            let sums = kernelSums(packed, activations)
            let ldo = packed.panelCount * Int8PackedWeights.panelWidth
            var mismatches = 0
            for row in 0..<m {
                for output in 0..<n
                where sums[row * ldo + output] != packed.accumulatorReference(activations, row: row, output: output) {
                    mismatches += 1
                }
            }
            #expect(mismatches == 0, "\(encoding) \(m)×\(n)×\(k)")
        }
    }

    @Test("no 16-bit lane saturates when every byte sits at the end of its range")
    func extremeBytesDoNotSaturate() {
        let (n, k) = (32, 64)
        // Weights ±1 quantise to ±64: four of them share a 16-bit lane, and 4·64 is the most
        // whole steps the lane bound (258) allows. Outputs alternate the sign of whole rows or of
        // every other feature, so both same-sign and mixed-sign pairs occur.
        var w = [Float](repeating: 1, count: n * k)
        for output in 0..<n {
            for feature in 0..<k where (output % 2 == 1) || (output % 4 == 2 && feature % 2 == 1) {
                w[output * k + feature] = -1
            }
        }
        // Rows: all positive (q at the top of the range), all negative (q at the bottom for
        // signed8, z for unsigned7), and alternating.
        var x = [Float]()
        x += [Float](repeating: 3, count: k)
        x += [Float](repeating: -3, count: k)
        x += (0..<k).map { $0 % 2 == 0 ? 3 : -3 }
        x += (0..<k).map { $0 % 4 < 2 ? 3 : -3 }
        for encoding in Self.encodings {
            let packed = weights(w, n, k, encoding)
            #expect(packed.outlierColumns.isEmpty)
            #expect(packed.quantized(output: 0, input: 0) == 64 && packed.quantized(output: 1, input: 0) == -64)
            let activations = quantized(x, rows: 4, for: packed, outliers: 0)
            let top = encoding.range.upperBound
            #expect(activations.value(row: 0, feature: 0) == top)
            if encoding == .signed8 { #expect(activations.value(row: 1, feature: 0) == -127) }
            let sums = kernelSums(packed, activations)
            let ldo = packed.panelCount * Int8PackedWeights.panelWidth
            for row in 0..<4 {
                for output in 0..<n {
                    let expected = packed.accumulatorReference(activations, row: row, output: output)
                    #expect(sums[row * ldo + output] == expected, "\(encoding) row \(row) output \(output)")
                }
            }
            // The largest sum these weights allow: every product 127·64.
            #expect(sums[0] == Int32(k) * 127 * 64)
        }
    }

    @Test("the four weights of each 16-bit lane stay within its bound; a lone large weight keeps all 127 steps")
    func laneBound() {
        var random = SplitMix(seed: 11)
        let (n, k) = (24, 70)
        var w = random.floats(n * k, -0.1, 0.1)
        // Output 0: a whole lane (features 0, 1, 4, 5) at the largest weight, of one sign.
        for feature in [0, 1, 4, 5] { w[feature] = 1 }
        // Output 1: one large weight among small ones.
        w[k + 9] = -1
        let lanes = Int8PackedWeights.laneFeatures(inputs: k)
        #expect(lanes.first == [0, 1, 4, 5] && lanes[1] == [2, 3, 6, 7])
        #expect(lanes.flatMap { $0 }.sorted() == Array(0..<k), "every feature is in exactly one lane")
        for encoding in Self.encodings {
            let packed = weights(w, n, k, encoding, ratio: .infinity)  // no column is set aside
            #expect(packed.quantized(output: 0, input: 0) == 64)
            #expect(packed.quantized(output: 1, input: 9) == -127)
            for output in 0..<n {
                for lane in lanes {
                    let magnitude = lane.reduce(0) { $0 + abs(Int(packed.quantized(output: output, input: $1))) }
                    #expect(magnitude <= 258, "output \(output) lane \(lane): \(magnitude)")
                }
            }
            // Every activation at the top of its range, against that lane: the sums stay exact.
            let x = [Float](repeating: 5, count: 4 * k)
            let activations = quantized(x, rows: 4, for: packed, outliers: 0)
            let sums = kernelSums(packed, activations)
            let ldo = packed.panelCount * Int8PackedWeights.panelWidth
            for row in 0..<4 {
                #expect(sums[row * ldo] == packed.accumulatorReference(activations, row: row, output: 0))
            }
        }
    }

    @Test("the fast product matches its scalar reference, with bias, GELU, ragged panels and strides")
    func matchesReference() {
        var random = SplitMix(seed: 7)
        let (m, n, k, ldo) = (13, 37, 70, 41)
        let w = random.floats(n * k)
        let x = random.floats(m * k, -2, 2)
        let bias = random.floats(n)
        for encoding in Self.encodings {
            let packed = weights(w, n, k, encoding)
            let activations = quantized(x, rows: m, for: packed)
            for activation in [PackedWeights.Activation.none, .gelu] {
                var fast = [Float](repeating: -7, count: m * ldo)
                var reference = fast
                fast.withUnsafeMutableBufferPointer {
                    packed.multiply(activations, bias: bias, activation: activation, into: $0.baseAddress!, ldo: ldo)
                }
                reference.withUnsafeMutableBufferPointer {
                    packed.multiplyReference(
                        activations, bias: bias, activation: activation, into: $0.baseAddress!, ldo: ldo)
                }
                for row in 0..<m {
                    for column in 0..<ldo {
                        let (a, b) = (fast[row * ldo + column], reference[row * ldo + column])
                        if column >= n {
                            #expect(a == -7, "the gap past N is untouched")
                        } else {
                            #expect(abs(a - b) <= 1e-5 * max(1, abs(b)), "\(encoding) (\(row), \(column))")
                        }
                    }
                }
            }
        }
    }

    @Test("panel ranges on separate threads add up to the whole product")
    func panelRangesOnThreads() {
        var random = SplitMix(seed: 11)
        let (m, n, k) = (21, 100, 96)
        let w = random.floats(n * k)
        let x = random.floats(m * k)
        let packed = weights(w, n, k, .unsigned7)
        let activations = quantized(x, rows: m, for: packed)
        var whole = [Float](repeating: 0, count: m * n)
        whole.withUnsafeMutableBufferPointer {
            packed.multiply(activations, bias: nil, activation: .gelu, into: $0.baseAddress!)
        }
        var split = [Float](repeating: 0, count: m * n)
        split.withUnsafeMutableBufferPointer { out in
            let base = out.baseAddress!
            let ranges = Parallel.ranges(of: packed.panelCount, parts: 3, granule: 1)
            WorkerPool.shared.run(ranges.count) { part in
                packed.multiply(activations, bias: nil, activation: .gelu, into: base, panels: ranges[part])
            }
        }
        #expect(whole == split)
    }

    @Test("results stay close to the float32 product; 8-bit activations closer than 7-bit")
    func closeToFloatProduct() {
        var random = SplitMix(seed: 3)
        let (m, n, k) = (16, 64, 384)
        let w = random.floats(n * k)
        let x = random.floats(m * k, -2, 2)
        let exact = matmulTransposedReference(x, rows: m, inner: k, weights: w, outputs: n)
        var errors: [Int8Encoding: Float] = [:]
        for encoding in Self.encodings {
            let packed = weights(w, n, k, encoding)
            let activations = quantized(x, rows: m, for: packed)
            var out = [Float](repeating: 0, count: m * n)
            out.withUnsafeMutableBufferPointer { packed.multiply(activations, bias: nil, into: $0.baseAddress!) }
            errors[encoding] = relativeError(out, exact)
        }
        // 7-bit activation steps are range/127: about 0.5% of the output's size here. Uniform
        // weights are the worst case for the lane bound (four weights near the largest share a
        // lane), which makes their steps about 1.6 times max|w|/127; with 8-bit activations the
        // weights' error is then most of the total. (On all-MiniLM-L6-v2's weights the bound
        // raises the scales by 7% on average.)
        #expect(errors[.unsigned7]! < 0.01, "unsigned7 relative error \(errors[.unsigned7]!)")
        #expect(errors[.signed8]! < 0.008, "signed8 relative error \(errors[.signed8]!)")
        #expect(errors[.signed8]! < errors[.unsigned7]!)
    }

    @Test("a massive activation is kept in float32 and does not coarsen the rest of its row")
    func massiveActivationIsAnOutlier() {
        var random = SplitMix(seed: 5)
        let (m, n, k) = (4, 32, 128)
        let w = random.floats(n * k)
        var x = random.floats(m * k)
        x[1 * k + 5] = 1000
        let packed = weights(w, n, k, .unsigned7)
        let activations = quantized(x, rows: m, for: packed, outliers: 2)
        #expect(activations.outliers(row: 1).contains { $0.feature == 5 && $0.value == 1000 })
        #expect(activations.value(row: 1, feature: 5) == activations.zeroPoint(row: 1))
        #expect(activations.scale(row: 1) < 2.0 / 127 + 1e-6, "the scale ignores the outlier")
        let exact = matmulTransposedReference(x, rows: m, inner: k, weights: w, outputs: n)
        var out = [Float](repeating: 0, count: m * n)
        out.withUnsafeMutableBufferPointer { packed.multiply(activations, bias: nil, into: $0.baseAddress!) }
        let row1 = Array(out[n..<(2 * n)])
        #expect(relativeError(row1, Array(exact[n..<(2 * n)])) < 1e-3)
    }

    @Test("an input column of huge weights is left to float32 in every row")
    func outlierWeightColumn() {
        var random = SplitMix(seed: 9)
        let (m, n, k) = (5, 24, 64)
        var w = random.floats(n * k)
        for output in 0..<n { w[output * k + 3] *= 100 }
        let x = random.floats(m * k)
        let packed = weights(w, n, k, .signed8)
        #expect(packed.outlierColumns == [3])
        #expect((0..<n).allSatisfy { packed.quantized(output: $0, input: 3) == 0 })
        var withoutColumn = w
        for output in 0..<n { withoutColumn[output * k + 3] = 0 }
        let reference = weights(withoutColumn, n, k, .signed8)
        #expect(
            (0..<n).allSatisfy { packed.scale(output: $0) == reference.scale(output: $0) },
            "row scales ignore the outlier column")
        let activations = quantized(x, rows: m, for: packed, outliers: 0)
        for row in 0..<m {
            #expect(activations.outliers(row: row).map(\.feature) == [3])
        }
        let none = weights(w, n, k, .signed8, ratio: .infinity)
        #expect(none.outlierColumns.isEmpty)
        let exact = matmulTransposedReference(x, rows: m, inner: k, weights: w, outputs: n)
        var out = [Float](repeating: 0, count: m * n)
        out.withUnsafeMutableBufferPointer { packed.multiply(activations, bias: nil, into: $0.baseAddress!) }
        #expect(relativeError(out, exact) < 0.01)
    }

    func relativeError(_ a: [Float], _ b: [Float]) -> Float {
        var difference: Float = 0
        var norm: Float = 0
        for (x, y) in zip(a, b) {
            difference += (x - y) * (x - y)
            norm += y * y
        }
        return (difference / max(norm, 1e-30)).squareRoot()
    }
}
