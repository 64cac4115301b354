/// Arm B against arm A on one metric, question by question: how large the difference is (the
/// bootstrap interval of the mean of B − A) and whether it is more than chance (the paired tests).
public struct MetricComparison: Sendable, Codable, Equatable {
    public var difference: BootstrapInterval
    public var wilcoxon: PairedTestResult
    public var sign: PairedTestResult

    public init(
        _ pairs: PairedScores, resamples: Int = BootstrapInterval.defaultResamples,
        confidence: Double = BootstrapInterval.defaultConfidence, seed: UInt64 = BootstrapInterval.defaultSeed,
        alpha: Double = PairedTest.alpha
    ) {
        difference = BootstrapInterval(
            meanDifferenceOf: pairs, resamples: resamples, confidence: confidence, seed: seed)
        wilcoxon = PairedTest.wilcoxon(pairs, alpha: alpha)
        sign = PairedTest.sign(pairs, alpha: alpha)
    }
}

/// Arm B against arm A on every answer metric, for report.json.
public struct ArmComparison: Sendable, Codable, Equatable {
    public var questions: Int
    public var rougeL: MetricComparison
    public var tokenF1: MetricComparison
    public var bleu: MetricComparison
    public var groundedness: MetricComparison

    /// Compares the scores of the same questions, in the same order, answered by each arm.
    public init(
        a: [AnswerMetrics], b: [AnswerMetrics], resamples: Int = BootstrapInterval.defaultResamples,
        seed: UInt64 = BootstrapInterval.defaultSeed
    ) throws {
        func compare(_ metric: KeyPath<AnswerMetrics, Double>) throws -> MetricComparison {
            let pairs = try PairedScores(a: a.map { $0[keyPath: metric] }, b: b.map { $0[keyPath: metric] })
            return MetricComparison(pairs, resamples: resamples, seed: seed)
        }
        questions = a.count
        rougeL = try compare(\.rougeL)
        tokenF1 = try compare(\.tokenF1)
        bleu = try compare(\.bleu)
        groundedness = try compare(\.groundedness)
    }
}
