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
/// Dimension letters: M rows, K input features (K8 = K rounded up to a multiple of 8; the
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

    /// Bytes per stored row: K rounded up to a multiple of 8 (the kernel reads groups of four
    /// features two at a time).
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
    /// Candidates one row search holds (`Int8Activations+Selection.swift`).
    static let candidateCapacity = 64

    /// The buffers of one row being quantised.
    final class RowWorkspace {
        /// (stride) the row.
        let row: UnsafeMutablePointer<Float>
        /// Features (and their |x|) that may be outliers, while the row is searched.
        let candidateFeatures = UnsafeMutablePointer<Int32>.allocate(capacity: candidateCapacity)
        let candidateMagnitudes = UnsafeMutablePointer<Float>.allocate(capacity: candidateCapacity)
        /// (candidateCapacity) ranks of candidates, or of group maxima.
        let ranks = UnsafeMutablePointer<Int32>.allocate(capacity: candidateCapacity)
        /// (candidateCapacity) the largest |x| of each group of the row (see `selectLargest`).
        let groupMaxima = UnsafeMutablePointer<Float>.allocate(capacity: candidateCapacity)

        init(stride: Int) { row = .allocate(capacity: stride) }

        deinit {
            row.deallocate()
            candidateFeatures.deallocate()
            candidateMagnitudes.deallocate()
            ranks.deallocate()
            groupMaxima.deallocate()
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
        stride = (inputs + 7) / 8 * 8
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
