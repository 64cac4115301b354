#if arch(x86_64)
    import _Builtin_intrinsics.intel
#endif
#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// How activations are stored as bytes for `Int8PackedWeights`.
///
/// `vpmaddubsw` multiplies an unsigned byte by a signed byte and adds adjacent pairs into a
/// saturating 16-bit lane, so the encoding decides both the precision and whether a lane can
/// saturate (weights are always −127...127):
/// - `unsigned7`: q in 0...127, asymmetric (scale and zero point). One pair is at most
///   2·127·127 = 32,258 < 32,767: never saturates, at full speed, with 7 bits.
/// - `signed8`: q in −127...127, asymmetric. The weight's magnitude becomes the unsigned operand
///   and its sign moves onto the activation (`vpsignb`), again at most 2·127·127 per pair; 8 bits,
///   one more instruction per product (~25% slower measured).
/// −128 is never produced: `vpsignb` cannot negate it.
public enum Int8Encoding: Sendable, Equatable {
    case unsigned7
    case signed8

    /// The smallest and largest stored value.
    public var range: ClosedRange<Int32> {
        switch self {
        case .unsigned7: return 0...127
        case .signed8: return -127...127
        }
    }
}

/// Rows of activations quantised to bytes for `Int8PackedWeights.multiply`, each with its own
/// scale and zero point, and with its largest-magnitude features kept aside in float32.
///
/// Activations of BERT-family encoders carry "massive" features: one or a few channels a
/// hundred times larger than the rest (channel 99 of all-MiniLM-L6-v2's hidden state reaches
/// 28 where the median channel stays under 2). One scale per row would spend nearly all 127
/// levels on them. So, per row, the `outliersPerRow` largest |x| and every feature the weights
/// mark as an outlier column are taken out (stored as exact feature/value pairs, multiplied in
/// float32 by the matrix's float weights) and replaced by 0 before the row is quantised:
/// x ≈ s·(q − z), with [min, max] of the rest (0 included) mapped onto the encoding's range.
/// A zero maps to q = z exactly, so the removed features add nothing to the integer product.
///
/// Some rows can be named wide and keep more outliers (the encoder's [CLS] and [SEP] tokens,
/// whose activations are the most extreme and whose errors no averaging dilutes in a short text).
///
/// Rows are quantised independently: a text's vectors do not depend on what it is batched with,
/// nor on how many threads quantise them. One instance belongs to one caller at a time; buffers
/// grow as needed and are reused.
///
/// Dimension letters: M rows, K input features (K4 = K rounded up to a multiple of 4; the
/// padding holds z, against weights of 0).
public final class Int8Activations {
    /// Input features (K).
    public let inputs: Int
    /// Largest-magnitude features per row taken out and kept in float32, besides the weights'
    /// outlier columns.
    public let outliersPerRow: Int
    /// The same for the rows named `wide` in `quantize` (a model's special tokens, say).
    public let wideRowOutliers: Int
    /// Rows quantised by the last `quantize`.
    public private(set) var rows = 0
    /// The encoding of the last `quantize`.
    public private(set) var encoding = Int8Encoding.unsigned7
    /// The weights the last `quantize` prepared for (their outlier columns were taken out).
    private(set) var preparedFor: ObjectIdentifier?

    /// Bytes per stored row: K rounded up to a multiple of 4.
    let stride: Int
    private var capacity = 0
    private(set) var outlierCapacity = 0
    /// (capacity, stride) bytes: UInt8 for `unsigned7`, Int8 bit patterns for `signed8`.
    private(set) var values = UnsafeMutablePointer<UInt8>.allocate(capacity: 1)
    /// (capacity) scales s.
    private(set) var scales = UnsafeMutablePointer<Float>.allocate(capacity: 1)
    /// (capacity) zero points z.
    private(set) var zeroPoints = UnsafeMutablePointer<Int32>.allocate(capacity: 1)
    /// (capacity) how many largest features each row may keep, for the rows being quantised.
    private(set) var budgets = UnsafeMutablePointer<Int32>.allocate(capacity: 1)
    /// (capacity) how many outlier pairs each row has.
    private(set) var outlierCounts = UnsafeMutablePointer<Int32>.allocate(capacity: 1)
    /// (capacity, outlierCapacity) features and values of the outlier pairs.
    private(set) var outlierFeatures = UnsafeMutablePointer<Int32>.allocate(capacity: 1)
    private(set) var outlierValues = UnsafeMutablePointer<Float>.allocate(capacity: 1)
    /// One per thread that quantises rows at the same time.
    private var workspaces: [RowWorkspace]
    private static let candidateCapacity = 64

    /// The buffers of one row being quantised.
    private final class RowWorkspace {
        /// (stride) the row.
        let row: UnsafeMutablePointer<Float>
        /// Features (and their |x|) that may be outliers, while the row is searched.
        let candidateFeatures = UnsafeMutablePointer<Int32>.allocate(capacity: candidateCapacity)
        let candidateMagnitudes = UnsafeMutablePointer<Float>.allocate(capacity: candidateCapacity)
        let ranks = UnsafeMutablePointer<Int32>.allocate(capacity: candidateCapacity)

        init(stride: Int) { row = .allocate(capacity: stride) }

        deinit {
            row.deallocate()
            candidateFeatures.deallocate()
            candidateMagnitudes.deallocate()
            ranks.deallocate()
        }
    }

    /// - Parameters:
    ///   - inputs: features per row (K), 1 or more.
    ///   - outliersPerRow: largest-magnitude features per row to keep in float32, 0 (none) to 32.
    ///   - wideRowOutliers: the same for rows `quantize` is told are wide, 0 to 32 (default: as
    ///     other rows).
    public init(inputs: Int, outliersPerRow: Int = 8, wideRowOutliers: Int? = nil) {
        let wide = wideRowOutliers ?? outliersPerRow
        precondition(
            inputs >= 1 && (0...Self.candidateCapacity / 2).contains(outliersPerRow)
                && (0...Self.candidateCapacity / 2).contains(wide),
            "inputs must be 1 or more, outliers 0 to \(Self.candidateCapacity / 2)")
        self.wideRowOutliers = wide
        self.inputs = inputs
        self.outliersPerRow = outliersPerRow
        stride = (inputs + 3) / 4 * 4
        workspaces = [RowWorkspace(stride: stride)]
    }

    deinit {
        values.deallocate()
        scales.deallocate()
        zeroPoints.deallocate()
        outlierCounts.deallocate()
        outlierFeatures.deallocate()
        outlierValues.deallocate()
        budgets.deallocate()
    }

    /// Quantises `rows` rows of K floats, `ldx` apart (default K), for a product with `weights`:
    /// in their encoding, with their outlier columns taken out of every row.
    /// - Parameters:
    ///   - wide: rows that keep `wideRowOutliers` features in float instead of `outliersPerRow`.
    ///   - threads: with more than 1, the rows are split across `WorkerPool.shared` (for a short
    ///     input shared by all threads, where this would otherwise run alone).
    /// - Complexity: O(M·K).
    public func quantize(
        _ x: UnsafePointer<Float>, rows m: Int, ldx: Int? = nil, for weights: Int8PackedWeights, wide: [Int] = [],
        threads: Int = 1
    ) {
        precondition(weights.inputs == inputs, "activations of \(inputs) features for weights of \(weights.inputs)")
        precondition(m >= 0, "rows must be 0 or more")
        let ldx = ldx ?? inputs
        reserve(rows: m, outliers: weights.outlierColumns.count + max(outliersPerRow, wideRowOutliers))
        for row in 0..<m { budgets[row] = Int32(outliersPerRow) }
        for row in wide where (0..<m).contains(row) { budgets[row] = Int32(wideRowOutliers) }
        encoding = weights.encoding
        preparedFor = ObjectIdentifier(weights)
        let parts = Parallel.ranges(of: m, parts: max(1, min(threads, m / 4)), granule: 1)
        while workspaces.count < parts.count { workspaces.append(RowWorkspace(stride: stride)) }
        let outliers = weights.outlierColumns
        WorkerPool.shared.run(parts.count) { part in
            for row in parts[part] {
                quantizeRow(
                    x + row * ldx, row: row, staticOutliers: outliers, limit: Int(budgets[row]), workspaces[part])
            }
        }
        rows = m
    }

    /// The stored q of `feature` in `row` (0 for a feature taken out as an outlier: it is z).
    public func value(row: Int, feature: Int) -> Int32 {
        let byte = values[row * stride + feature]
        return encoding == .signed8 ? Int32(Int8(bitPattern: byte)) : Int32(byte)
    }

    /// The scale s of `row`.
    public func scale(row: Int) -> Float { scales[row] }

    /// The zero point z of `row`.
    public func zeroPoint(row: Int) -> Int32 { zeroPoints[row] }

    /// The features of `row` kept in float32, with their exact values.
    public func outliers(row: Int) -> [(feature: Int, value: Float)] {
        (0..<Int(outlierCounts[row])).map {
            (Int(outlierFeatures[row * outlierCapacity + $0]), outlierValues[row * outlierCapacity + $0])
        }
    }

    /// What the integer product sees for `feature` of `row`, s·(q − z), plus the kept outlier value.
    public func dequantized(row: Int, feature: Int) -> Float {
        var value = scales[row] * Float(self.value(row: row, feature: feature) - zeroPoints[row])
        for (kept, exact) in outliers(row: row) where kept == feature { value += exact }
        return value
    }

    private func reserve(rows m: Int, outliers: Int) {
        guard m > capacity || outliers > outlierCapacity else { return }
        let rows = max(m, capacity)
        let perRow = max(outliers, outlierCapacity, 1)
        values.deallocate()
        scales.deallocate()
        zeroPoints.deallocate()
        outlierCounts.deallocate()
        outlierFeatures.deallocate()
        outlierValues.deallocate()
        values = .allocate(capacity: max(rows * stride, 1))
        scales = .allocate(capacity: max(rows, 1))
        zeroPoints = .allocate(capacity: max(rows, 1))
        outlierCounts = .allocate(capacity: max(rows, 1))
        budgets.deallocate()
        budgets = .allocate(capacity: max(rows, 1))
        outlierFeatures = .allocate(capacity: max(rows * perRow, 1))
        outlierValues = .allocate(capacity: max(rows * perRow, 1))
        capacity = rows
        outlierCapacity = perRow
    }

    private func quantizeRow(
        _ x: UnsafePointer<Float>, row: Int, staticOutliers: [Int], limit: Int, _ workspace: RowWorkspace
    ) {
        let k = inputs
        let scratch = workspace.row
        scratch.update(from: x, count: k)
        for padding in k..<stride { scratch[padding] = 0 }

        // Outliers: the weights' columns first, then the largest |x| of the rest.
        let features = outlierFeatures + row * outlierCapacity
        let kept = outlierValues + row * outlierCapacity
        var count = 0
        for feature in staticOutliers {
            features[count] = Int32(feature)
            kept[count] = scratch[feature]
            scratch[feature] = 0
            count += 1
        }
        count += selectLargest(workspace, limit: limit, into: features + count, kept + count)
        outlierCounts[row] = Int32(count)

        // Scale and zero point from the rest, 0 included so that it maps exactly onto z.
        let (low, high) = Self.extremes(scratch, count: k)
        let range = encoding.range
        let levels = Float(range.upperBound - range.lowerBound)
        var scale = (high - low) / levels
        if !(scale > 0) || !scale.isFinite { scale = 1 }
        let zero = min(max(range.lowerBound - Int32((low / scale).rounded()), range.lowerBound), range.upperBound)
        scales[row] = scale
        zeroPoints[row] = zero
        store(scratch, scale: scale, zero: zero, into: values + row * stride)
    }

    /// Moves the `outliersPerRow` largest |x| of the scratch row into (features, values) and
    /// zeroes them there; returns how many (fewer when the row has fewer nonzero values).
    ///
    /// A vectorised pass collects the values beyond a bar of a few times the row's root mean
    /// square as candidates, without branches: each chunk of 8 stores its passing lanes packed to
    /// the front by a permutation looked up from the chunk's bit mask. The largest are then
    /// picked from the candidates; a row with too few of them is searched again with the bar
    /// halved, then at zero. When the candidate buffer fills, it is cut to the largest so far and
    /// the bar rises.
    private func selectLargest(
        _ workspace: RowWorkspace, limit: Int, into features: UnsafeMutablePointer<Int32>,
        _ kept: UnsafeMutablePointer<Float>
    ) -> Int {
        let scratch = workspace.row
        guard limit > 0 else { return 0 }
        let k = inputs
        let threshold = Self.candidateBar(inputs: k, limit: limit) * Self.rootMeanSquare(scratch, count: k)
        guard threshold > 0 else { return 0 }  // all zero
        let candidates = workspace.candidateFeatures
        let magnitudes = workspace.candidateMagnitudes
        var count = 0
        var floor = threshold
        /// Keeps only the `limit` largest candidates when there are more, and raises the floor
        /// to the smallest kept.
        ///
        /// Each candidate's rank is the number of candidates larger than it (ties broken by
        /// position), counted eight at a time: no chain of dependent compares, unlike a
        /// selection sort. Magnitudes are compared as their bit patterns, which order
        /// non-negative floats exactly.
        func keepLargest() {
            guard count > limit else { return }
            let ranks = workspace.ranks
            let bits = UnsafeRawPointer(magnitudes)
            for padding in count..<((count + 7) / 8 * 8) { magnitudes[padding] = 0 }
            for index in 0..<count {
                var rank = 0
                #if arch(x86_64)
                    let own = _mm256_set1_epi32(Int32(bitPattern: magnitudes[index].bitPattern))
                    for chunk in Swift.stride(from: 0, to: count, by: 8) {
                        let others = bits.loadUnaligned(fromByteOffset: chunk * 4, as: __m256i.self)
                        let larger = _mm256_movemask_ps(_mm256_castsi256_ps(_mm256_cmpgt_epi32(others, own)))
                        var equal = _mm256_movemask_ps(_mm256_castsi256_ps(_mm256_cmpeq_epi32(others, own)))
                        equal &= index >= chunk + 8 ? 0xFF : (1 << max(index - chunk, 0)) - 1
                        rank += Int((larger | equal).nonzeroBitCount)
                    }
                #else
                    for other in 0..<count
                    where magnitudes[other] > magnitudes[index]
                        || (magnitudes[other] == magnitudes[index] && other < index)
                    {
                        rank += 1
                    }
                #endif
                ranks[index] = Int32(rank)
            }
            var kept = 0
            var smallest = Float.infinity
            for index in 0..<count where ranks[index] < limit {
                candidates[kept] = candidates[index]
                magnitudes[kept] = magnitudes[index]
                smallest = min(smallest, magnitudes[kept])
                kept += 1
            }
            count = kept
            floor = max(floor, smallest)
        }
        func scan() {
            var index = 0
            #if arch(x86_64)
                let signBits = _mm256_castsi256_ps(_mm256_set1_epi32(Int32.max))
                var floors = _mm256_set1_ps(floor)
                let packingOrder = Self.packingOrder
                while index + 8 <= k {
                    let values = _mm256_and_ps(_mm256_loadu_ps(scratch + index), signBits)
                    // Lanes where floor − |x| is negative (its sign bit set) pass.
                    let passing = Int(_mm256_movemask_ps(_mm256_sub_ps(floors, values)))
                    let order = packingOrder[passing]
                    UnsafeMutableRawPointer(candidates + count).storeBytes(
                        of: _mm256_add_epi32(order, _mm256_set1_epi32(Int32(index))), as: __m256i.self)
                    _mm256_storeu_ps(magnitudes + count, _mm256_permutevar8x32_ps(values, order))
                    count += passing.nonzeroBitCount
                    if count > Self.candidateCapacity - 8 {
                        keepLargest()
                        floors = _mm256_set1_ps(floor)
                    }
                    index += 8
                }
            #endif
            while index < k {
                let magnitude = abs(scratch[index])
                if magnitude > floor {
                    candidates[count] = Int32(index)
                    magnitudes[count] = magnitude
                    count += 1
                    if count > Self.candidateCapacity - 8 { keepLargest() }
                }
                index += 1
            }
        }
        scan()
        // Too few: a massive feature can inflate the rms. Lower the bar, to 0 at last (strict:
        // zeros never enter).
        for lower in [threshold / 2, 0] where count < limit {
            count = 0
            floor = lower
            scan()
        }
        keepLargest()
        for slot in 0..<count {
            let feature = Int(candidates[slot])
            features[slot] = Int32(feature)
            kept[slot] = scratch[feature]
            scratch[feature] = 0
        }
        return count
    }

    #if arch(x86_64)
        /// For each 8-bit mask, the indices of its set bits in order, then zeros: the permutation
        /// that packs the selected lanes of a vector to its front.
        /// Allocated once for the process and never freed.
        nonisolated(unsafe) private static let packingOrder: UnsafePointer<__m256i> = {
            let table = UnsafeMutablePointer<__m256i>.allocate(capacity: 256)
            for mask in 0..<256 {
                var lanes = [Int32](repeating: 0, count: 8)
                var next = 0
                for lane in 0..<8 where mask & (1 << lane) != 0 {
                    lanes[next] = Int32(lane)
                    next += 1
                }
                table[mask] = _mm256_setr_epi32(
                    lanes[0], lanes[1], lanes[2], lanes[3], lanes[4], lanes[5], lanes[6], lanes[7])
            }
            return UnsafePointer(table)
        }()
    #endif

    /// The first bar, in multiples of the rms: where a normal row would have about three times
    /// `limit` values beyond it (2.1 for 384 features and 8 outliers, 2.6 for 1536), so that
    /// the buffer rarely fills and a second pass is rarely needed.
    private static func candidateBar(inputs k: Int, limit: Int) -> Float {
        let fraction = min(0.5, Float(3 * limit) / Float(k))
        return min(max(0.9 * (2 * log(1 / fraction)).squareRoot(), 0.5), 4)
    }

    /// √(Σx²/count).
    private static func rootMeanSquare(_ x: UnsafePointer<Float>, count: Int) -> Float {
        var sum: Float = 0
        var index = 0
        #if arch(x86_64)
            var sums = _mm256_setzero_ps()
            while index + 8 <= count {
                let v = _mm256_loadu_ps(x + index)
                sums = _mm256_fmadd_ps(v, v, sums)
                index += 8
            }
            for lane in 0..<8 { sum += sums[lane] }
        #endif
        while index < count {
            sum += x[index] * x[index]
            index += 1
        }
        return (sum / Float(count)).squareRoot()
    }

    /// The smallest and largest of `count` floats, and of 0.
    private static func extremes(_ x: UnsafePointer<Float>, count: Int) -> (Float, Float) {
        var low: Float = 0
        var high: Float = 0
        var index = 0
        #if arch(x86_64)
            var lows = _mm256_setzero_ps()
            var highs = lows
            while index + 8 <= count {
                let v = _mm256_loadu_ps(x + index)
                lows = _mm256_min_ps(lows, v)
                highs = _mm256_max_ps(highs, v)
                index += 8
            }
            for lane in 0..<8 {
                low = min(low, lows[lane])
                high = max(high, highs[lane])
            }
        #endif
        while index < count {
            low = min(low, x[index])
            high = max(high, x[index])
            index += 1
        }
        return (low, high)
    }

    /// q = clamp(round(x/s) + z) for the scratch row (padding included), as bytes.
    private func store(
        _ scratch: UnsafeMutablePointer<Float>, scale: Float, zero: Int32, into out: UnsafeMutablePointer<UInt8>
    ) {
        let inverse = 1 / scale
        let range = encoding.range
        var index = 0
        #if arch(x86_64)
            let signed = encoding == .signed8
            let inverses = _mm256_set1_ps(inverse)
            let zeros = _mm256_set1_epi32(zero)
            // packs keeps 128-bit lanes apart: dwords come out as 0,4,1,5,2,6,3,7 of 32 values.
            let order = _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7)
            let floor = _mm256_set1_epi8(-127)
            let ceiling = _mm256_set1_epi8(127)
            while index + 32 <= stride {
                func rounded(_ offset: Int) -> __m256i {
                    _mm256_add_epi32(
                        _mm256_cvtps_epi32(_mm256_mul_ps(_mm256_loadu_ps(scratch + index + offset), inverses)), zeros)
                }
                let low = _mm256_packs_epi32(rounded(0), rounded(8))
                let high = _mm256_packs_epi32(rounded(16), rounded(24))
                var bytes: __m256i
                if signed {
                    bytes = _mm256_max_epi8(_mm256_packs_epi16(low, high), floor)
                } else {
                    bytes = _mm256_min_epu8(_mm256_packus_epi16(low, high), ceiling)
                }
                bytes = _mm256_permutevar8x32_epi32(bytes, order)
                UnsafeMutableRawPointer(out + index).storeBytes(of: bytes, as: __m256i.self)
                index += 32
            }
        #endif
        while index < stride {
            let step = (scratch[index] * inverse).rounded(.toNearestOrEven)
            let q = (step.isNaN ? 0 : Int32(min(max(step, -1024), 1024))) &+ zero
            out[index] = UInt8(truncatingIfNeeded: min(max(q, range.lowerBound), range.upperBound))
            index += 1
        }
    }
}
