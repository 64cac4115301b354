/// A linear layer's weight matrix quantised to 8 bits per output channel and packed in panels
/// for the integer matrix product (`Int8PackedWeights+Multiply.swift`).
///
/// Each output row n gets a scale w_s[n] = max|W[n, k]| / 127 and q = round(W/w_s) in −127...127
/// (symmetric, so no zero point on this side), raised where needed so that the four weights the
/// kernel sums in one 16-bit lane stay within `laneMagnitudeLimit` (on all-MiniLM-L6-v2 this
/// leaves the fast vectors' mean cosine to exact at 0.99965, from 0.99966). The product with `Int8Activations`
/// (x ≈ s·(q_x − z) per row) is then
///
///     y[m, n] = s[m]·w_s[n]·(Σ_k q_x[m,k]·q[n,k] − z[m]·Σ_k q[n,k]) + bias[n] + Σ_outliers x·W
///
/// where Σ_k q[n,k] is kept per output (`columnSums`), and the activation features kept aside
/// as outliers are multiplied by the weights in float16 (`outlierWeights`: relative error 2⁻¹¹,
/// some thirty times finer than the 8-bit rows; these are the largest activations, so their
/// weights need it). Integer sums are exact, so the only other errors are the two roundings to
/// 8 bits.
///
/// The float16 weights are stored feature-major (Wᵀ, one contiguous row of N per input feature):
/// a token's few outliers each read one row from start to end, which the hardware prefetches,
/// where a panel layout would scatter them over the matrix.
///
/// Input columns whose largest weight dwarfs the rest (more than `outlierColumnRatio` times the
/// median column's largest; the FFN output matrices of all-MiniLM-L6-v2 have one or two, 50×
/// the median, on the features that carry massive activations) are left out of the integer
/// weights (stored as 0, outside every row's scale): every activation row keeps those features
/// in float32 instead.
///
/// Layout: panels of 16 output columns, as in `PackedWeights`; within a panel, for each group of
/// 4 input features, 16 × 4 bytes (output-major: bytes 4l...4l+3 are output l's four weights).
/// One 32-byte load gives eight outputs' four weights, which `vpmaddubsw` multiplies by one
/// activation row's four bytes broadcast eight times.
///
/// Dimension letters: M rows, K input features (K8 rounded up to 8), N outputs.
public final class Int8PackedWeights: @unchecked Sendable {
    /// Output features (N).
    public let outputs: Int
    /// Input features (K).
    public let inputs: Int
    /// Panels of 16 outputs; the last one is zero-padded.
    public let panelCount: Int
    /// How activations are stored for products with these weights.
    public let encoding: Int8Encoding
    /// Input features kept in float for every activation row, in increasing order.
    public let outlierColumns: [Int]

    public static let panelWidth = PackedWeights.panelWidth
    /// Input features per group (4 bytes per output per group).
    static let groupWidth = 4
    /// At most this many outlier columns are chosen, the largest first.
    public static let maxOutlierColumns = 16

    /// Groups of 4 input features (K8 / 4, even: the kernel takes them in pairs; padding
    /// weights are 0).
    let groups: Int
    // Written once in `init`, only read afterwards: safe to share.
    /// (panelCount, groups, 16, 4) quantised weights.
    let storage: UnsafeMutablePointer<Int8>
    /// (panelCount·16) scales w_s, 0 past N.
    let scales: UnsafeMutablePointer<Float>
    /// (panelCount·16) Σ_k q[n, k], 0 past N.
    let columnSums: UnsafeMutablePointer<Int32>
    /// (K, panelCount·16) Wᵀ in float16, 0 past N: the weights of outlier features.
    let outlierWeights: UnsafeMutablePointer<Float16>
    /// Float16 values per row of `outlierWeights` (N padded to whole panels).
    var outlierStride: Int { panelCount * Self.panelWidth }

    /// Quantises and packs `weights`, N rows of K floats.
    /// - Parameters:
    ///   - encoding: how activations will be stored (see `Int8Encoding`).
    ///   - outlierColumnRatio: an input column whose largest |w| is more than this many times the
    ///     median column's is kept in float32 (at most `maxOutlierColumns`); infinity for none.
    public init(
        rowMajor weights: UnsafePointer<Float>, outputs n: Int, inputs k: Int, encoding: Int8Encoding = .unsigned7,
        outlierColumnRatio: Float = 8
    ) {
        precondition(n >= 1 && k >= 1, "a weight matrix needs at least one row and one column")
        outputs = n
        inputs = k
        self.encoding = encoding
        panelCount = (n + Self.panelWidth - 1) / Self.panelWidth
        groups = (k + 2 * Self.groupWidth - 1) / (2 * Self.groupWidth) * 2
        let outlierColumns = Self.outlierColumns(weights, outputs: n, inputs: k, ratio: outlierColumnRatio)
        self.outlierColumns = outlierColumns

        let width = Self.panelWidth
        let bytes = panelCount * groups * width * Self.groupWidth
        storage = .allocate(capacity: bytes)
        storage.initialize(repeating: 0, count: bytes)
        scales = .allocate(capacity: panelCount * width)
        scales.initialize(repeating: 0, count: panelCount * width)
        columnSums = .allocate(capacity: panelCount * width)
        columnSums.initialize(repeating: 0, count: panelCount * width)
        let stride = panelCount * width
        outlierWeights = .allocate(capacity: k * stride)
        outlierWeights.initialize(repeating: 0, count: k * stride)
        for output in 0..<n {
            for feature in 0..<k { outlierWeights[feature * stride + output] = Float16(weights[output * k + feature]) }
        }

        var isOutlier = [Bool](repeating: false, count: k)
        for column in outlierColumns { isOutlier[column] = true }
        let lanes = Self.laneFeatures(inputs: k)
        for output in 0..<n {
            let row = weights + output * k
            let scale = Self.rowScale(row, inputs: k, lanes: lanes, isOutlier: isOutlier)
            let panel = storage + (output / width) * groups * width * Self.groupWidth
            let lane = output % width
            var sum: Int32 = 0
            for feature in 0..<k where !isOutlier[feature] {
                let q = Int8(min(max((row[feature] / scale).rounded(.toNearestOrEven), -127), 127))
                let group = feature / Self.groupWidth
                panel[(group * width + lane) * Self.groupWidth + feature % Self.groupWidth] = q
                sum += Int32(q)
            }
            scales[output] = scale
            columnSums[output] = sum
        }
    }

    deinit {
        storage.deallocate()
        scales.deallocate()
        columnSums.deallocate()
        outlierWeights.deallocate()
    }

    /// The largest sum of |q| over the four weights that share one 16-bit lane of the kernel
    /// (see `laneFeatures`); with activations of at most 127 in magnitude, 127·258 = 32,766
    /// keeps every lane exact.
    static let laneMagnitudeLimit: Float = 258

    /// The scale w_s of one row: max|w|/127, raised where needed so that every lane's four
    /// weights sum to at most `laneMagnitudeLimit` in |q| after rounding (each rounding adds at
    /// most 0.5, hence the 256). For weights of a trained model the lane bound rarely binds by
    /// more than a few percent: four typical weights sum to far less than four largest ones.
    private static func rowScale(_ row: UnsafePointer<Float>, inputs k: Int, lanes: [[Int]], isOutlier: [Bool])
        -> Float
    {
        var largest: Float = 0
        for feature in 0..<k where !isOutlier[feature] { largest = max(largest, abs(row[feature])) }
        var largestLane: Float = 0
        for lane in lanes {
            var sum: Float = 0
            for feature in lane where !isOutlier[feature] { sum += abs(row[feature]) }
            largestLane = max(largestLane, sum)
        }
        let scale = max(largest / 127, largestLane / (laneMagnitudeLimit - 2))
        return scale > 0 && scale.isFinite ? scale : 1
    }

    /// The input features whose products the kernel adds in one 16-bit lane before widening:
    /// `vpmaddubsw` pairs features 4g, 4g+1 (and 4g+2, 4g+3) of a group, and the kernel adds the
    /// pairs of groups 2j and 2j+1 lane by lane.
    static func laneFeatures(inputs k: Int) -> [[Int]] {
        var lanes: [[Int]] = []
        for first in stride(from: 0, to: k, by: 2 * groupWidth) {
            for pair in [0, 2] {
                let lane = [0, 1, groupWidth, groupWidth + 1].map { first + pair + $0 }.filter { $0 < k }
                if !lane.isEmpty { lanes.append(lane) }
            }
        }
        return lanes
    }

    /// The quantised weight of (output, input); 0 for an outlier column.
    public func quantized(output: Int, input: Int) -> Int8 {
        let width = Self.panelWidth
        let group = input / Self.groupWidth
        return storage[
            ((output / width) * groups * width + group * width + output % width) * Self.groupWidth
                + input % Self.groupWidth]
    }

    /// The scale w_s of `output`.
    public func scale(output: Int) -> Float { scales[output] }

    /// Input columns whose largest |w| exceeds `ratio` times the median column's, largest first
    /// up to `maxOutlierColumns`, returned in increasing order.
    private static func outlierColumns(_ w: UnsafePointer<Float>, outputs n: Int, inputs k: Int, ratio: Float)
        -> [Int]
    {
        guard ratio.isFinite, k >= 2 else { return [] }
        var largest = [Float](repeating: 0, count: k)
        for output in 0..<n {
            for feature in 0..<k { largest[feature] = max(largest[feature], abs(w[output * k + feature])) }
        }
        let median = largest.sorted()[k / 2]
        let chosen = (0..<k).filter { largest[$0] > ratio * median }.sorted { largest[$0] > largest[$1] }
        return Array(chosen.prefix(maxOutlierColumns)).sorted()
    }
}
