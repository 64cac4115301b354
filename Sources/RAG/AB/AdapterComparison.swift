/// One adapter arm against the base arm, question by question, on every `ComparisonMetric`:
/// the paired tests, the interval of the difference, a verdict per metric and one over the
/// quality metrics.
public struct AdapterComparison: Sendable, Codable {
    /// The adapter's arm.
    public var arm: String
    /// The arm it is compared with: the base model.
    public var baseline: String
    public var questions: Int
    /// Per metric, in `ComparisonMetric.allCases` order.
    public var verdicts: [MetricVerdict]
    /// Over `ComparisonMetric.quality`: latency is a cost, reported beside the verdict.
    public var overall: OverallVerdict

    /// Compares the answers of `arm` with the base's to the same questions, in the same order.
    public init(
        arm: String, baseline: String, base: [AnswerOutcome], adapter: [AnswerOutcome],
        resamples: Int = BootstrapInterval.defaultResamples, seed: UInt64 = BootstrapInterval.defaultSeed
    ) throws {
        self.arm = arm
        self.baseline = baseline
        questions = base.count
        verdicts = try ComparisonMetric.allCases.map { metric in
            let pairs = try PairedScores(a: base.map(metric.value), b: adapter.map(metric.value))
            return MetricVerdict(metric: metric, comparison: MetricComparison(pairs, resamples: resamples, seed: seed))
        }
        overall = OverallVerdict(verdicts.filter { $0.metric.higherIsBetter }.map(\.verdict))
    }

    /// The verdict on `metric`.
    public func verdict(_ metric: ComparisonMetric) -> MetricVerdict? {
        verdicts.first { $0.metric == metric }
    }

    /// The metrics whose verdict is `verdict`.
    public func metrics(judged verdict: ArmVerdict) -> [ComparisonMetric] {
        verdicts.filter { $0.verdict == verdict }.map(\.metric)
    }
}
