import Testing

@testable import Kernels

@Suite("Activations quantised to bytes with per-row scales and float32 outliers")
struct Int8ActivationsTests {
    func identityWeights(inputs k: Int, _ encoding: Int8Encoding) -> Int8PackedWeights {
        let w = [Float](repeating: 0.5, count: 2 * k)
        return w.withUnsafeBufferPointer {
            Int8PackedWeights(rowMajor: $0.baseAddress!, outputs: 2, inputs: k, encoding: encoding)
        }
    }

    @Test("every value is within half a step of its input, inside the encoding's range", arguments: [1, 7, 37, 384])
    func roundTrip(k: Int) {
        var random = SplitMix(seed: UInt64(k))
        let m = 6
        var x = random.floats(m * k, -4, 4)
        for index in 0..<k { x[2 * k + index] = abs(x[2 * k + index]) + 1 }  // all positive
        for index in 0..<k { x[3 * k + index] = -abs(x[3 * k + index]) - 1 }  // all negative
        for encoding in [Int8Encoding.unsigned7, .signed8] {
            let activations = Int8Activations(inputs: k, outliersPerRow: 3)
            activations.quantize(x, rows: m, for: identityWeights(inputs: k, encoding))
            #expect(activations.rows == m && activations.encoding == encoding)
            for row in 0..<m {
                let step = activations.scale(row: row)
                #expect(activations.outliers(row: row).count == min(3, k))
                for feature in 0..<k {
                    let q = activations.value(row: row, feature: feature)
                    #expect(encoding.range.contains(q))
                    let error = abs(activations.dequantized(row: row, feature: feature) - x[row * k + feature])
                    #expect(error <= step * 0.5001, "\(encoding) (\(row), \(feature)): error \(error), step \(step)")
                }
                for padding in k..<activations.stride {
                    #expect(activations.value(row: row, feature: padding) == activations.zeroPoint(row: row))
                }
            }
        }
    }

    @Test("the outliers are the largest magnitudes of their row")
    func outliersAreTheLargest() {
        let k = 50
        var x = (0..<k).map { Float($0 % 7) * 0.1 }
        x[3] = -9
        x[40] = 8
        x[17] = 7.5
        let activations = Int8Activations(inputs: k, outliersPerRow: 2)
        activations.quantize(x, rows: 1, for: identityWeights(inputs: k, .signed8))
        let kept = activations.outliers(row: 0).sorted { $0.feature < $1.feature }
        #expect(kept.map(\.feature) == [3, 40])
        #expect(kept.map(\.value) == [-9, 8])
        #expect(activations.value(row: 0, feature: 3) == activations.zeroPoint(row: 0))
    }

    @Test("the outliers of random rows are exactly the largest magnitudes", arguments: [5, 64, 384, 1536])
    func outliersMatchSorting(k: Int) {
        var random = SplitMix(seed: UInt64(k) + 99)
        let rows = 40
        var x = [Float]()
        for row in 0..<rows {
            // Normal-looking rows, rows with one massive value, and sparse rows with few nonzeros.
            var values = random.floats(k, -1, 1)
            if row % 3 == 1 { values[row % k] = 30 }
            if row % 3 == 2 { for index in 0..<k where index % 17 != 0 { values[index] = 0 } }
            x += values
        }
        for limit in [1, 8, 20] {
            let activations = Int8Activations(inputs: k, outliersPerRow: limit)
            activations.quantize(x, rows: rows, for: identityWeights(inputs: k, .unsigned7))
            for row in 0..<rows {
                let values = x[(row * k)..<((row + 1) * k)]
                let nonzero = values.filter { $0 != 0 }.count
                let expected = values.map(abs).sorted(by: >).prefix(min(limit, nonzero))
                let kept = activations.outliers(row: row).map { abs($0.value) }.sorted(by: >)
                #expect(kept == Array(expected), "k \(k) limit \(limit) row \(row)")
            }
        }
    }

    @Test("rows quantised on several threads are the same as on one")
    func threadsAgree() {
        var random = SplitMix(seed: 17)
        let (m, k) = (37, 200)
        let x = random.floats(m * k, -3, 3)
        let weights = identityWeights(inputs: k, .signed8)
        let one = Int8Activations(inputs: k, outliersPerRow: 5)
        one.quantize(x, rows: m, for: weights)
        let several = Int8Activations(inputs: k, outliersPerRow: 5)
        several.quantize(x, rows: m, for: weights, threads: 3)
        for row in 0..<m {
            #expect(one.scale(row: row) == several.scale(row: row))
            #expect(one.zeroPoint(row: row) == several.zeroPoint(row: row))
            #expect(one.outliers(row: row).map(\.feature) == several.outliers(row: row).map(\.feature))
            #expect((0..<k).allSatisfy { one.value(row: row, feature: $0) == several.value(row: row, feature: $0) })
        }
    }

    @Test("wide rows keep their own, larger number of outliers")
    func wideRows() {
        var random = SplitMix(seed: 23)
        let (m, k) = (6, 96)
        let x = random.floats(m * k, -1, 1)
        let activations = Int8Activations(inputs: k, outliersPerRow: 2, wideRowOutliers: 20)
        activations.quantize(x, rows: m, for: identityWeights(inputs: k, .unsigned7), wide: [0, 5, 99])
        #expect((0..<m).map { activations.outliers(row: $0).count } == [20, 2, 2, 2, 2, 20])
        #expect(activations.wideRowOutliers == 20)
        #expect(Int8Activations(inputs: k, outliersPerRow: 3).wideRowOutliers == 3)
    }

    @Test("a row of zeros quantises to its zero point and keeps no outliers")
    func zeroRow() {
        let k = 24
        let activations = Int8Activations(inputs: k, outliersPerRow: 4)
        activations.quantize([Float](repeating: 0, count: k), rows: 1, for: identityWeights(inputs: k, .unsigned7))
        #expect(activations.outliers(row: 0).isEmpty)
        #expect((0..<k).allSatisfy { activations.dequantized(row: 0, feature: $0) == 0 })
    }

    @Test("buffers grow for more rows and strided input rows are read correctly")
    func growsAndReadsStrides() {
        let (k, ldx) = (10, 13)
        let weights = identityWeights(inputs: k, .unsigned7)
        let activations = Int8Activations(inputs: k, outliersPerRow: 0)
        activations.quantize([Float](repeating: 1, count: k), rows: 1, for: weights)
        var x = [Float](repeating: 99, count: 40 * ldx)
        for row in 0..<40 { for feature in 0..<k { x[row * ldx + feature] = Float(row + feature) / 10 } }
        activations.quantize(x, rows: 40, ldx: ldx, for: weights)
        #expect(activations.rows == 40)
        for row in 0..<40 {
            for feature in 0..<k {
                let error = abs(activations.dequantized(row: row, feature: feature) - Float(row + feature) / 10)
                #expect(error <= activations.scale(row: row) * 0.5001)
            }
        }
    }
}
