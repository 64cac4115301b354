/// A mean with its percentile bootstrap confidence interval (Efron): resample the values with
/// replacement, take the mean of each resample, and read the interval off the 2.5th and 97.5th
/// percentiles of those means.
///
/// The bootstrap assumes nothing about the shape of the scores, which matters here: per-question
/// scores pile up at 0 and 1 and are far from normal for the 30 to 200 questions of a test set.
/// The draws come from a seeded `BootstrapRandom`, so the same scores, resamples and seed give the same
/// interval on every machine.
public struct BootstrapInterval: Sendable, Codable, Equatable {
    /// The mean of the values themselves (not of the resamples).
    public var mean: Double
    public var lower: Double
    public var upper: Double

    public static let defaultResamples = 2000
    public static let defaultConfidence = 0.95
    public static let defaultSeed: UInt64 = 42

    public init(mean: Double, lower: Double, upper: Double) {
        self.mean = mean
        self.lower = lower
        self.upper = upper
    }

    /// The interval of the mean of `values`. No values give 0 with an empty interval at 0; a
    /// `resamples` below 1 counts as 1, and `confidence` is clamped to [0, 1] (NaN: the default).
    /// - Complexity: O(`resamples` · n + `resamples` · log `resamples`).
    public init(
        meanOf values: [Double], resamples: Int = defaultResamples, confidence: Double = defaultConfidence,
        seed: UInt64 = defaultSeed
    ) {
        let mean = SampleStatistics.mean(values)
        guard !values.isEmpty else {
            self.init(mean: 0, lower: 0, upper: 0)
            return
        }
        var random = BootstrapRandom(seed: seed)
        var means: [Double] = []
        means.reserveCapacity(max(resamples, 1))
        for _ in 0..<max(resamples, 1) {
            var sum = 0.0
            for _ in values.indices { sum += values[random.index(below: values.count)] }
            means.append(sum / Double(values.count))
        }
        means.sort()
        let level = confidence.isNaN ? Self.defaultConfidence : min(max(confidence, 0), 1)
        let tail = (1 - level) / 2
        self.init(
            mean: mean, lower: SampleStatistics.quantile(means, tail),
            upper: SampleStatistics.quantile(means, 1 - tail))
    }

    /// The interval of the mean difference B − A. Resampling questions and taking the mean of
    /// their differences is resampling pairs, so the interval keeps the pairing.
    public init(
        meanDifferenceOf pairs: PairedScores, resamples: Int = defaultResamples,
        confidence: Double = defaultConfidence, seed: UInt64 = defaultSeed
    ) {
        self.init(meanOf: pairs.differences, resamples: resamples, confidence: confidence, seed: seed)
    }

    /// Whether the interval holds `value` (0, for a difference: no difference shown).
    public func contains(_ value: Double) -> Bool { lower <= value && value <= upper }
}
