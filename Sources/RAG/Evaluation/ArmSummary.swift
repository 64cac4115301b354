/// One arm of an A/B comparison summarised for report.json: per metric, the mean over the
/// questions and its bootstrap interval.
public struct ArmSummary: Sendable, Codable, Equatable {
    /// The arm's name as the report shows it ("base", an adapter's name).
    public var arm: String
    public var questions: Int
    public var resamples: Int
    public var confidence: Double
    public var rougeL: BootstrapInterval
    public var tokenF1: BootstrapInterval
    public var bleu: BootstrapInterval
    public var groundedness: BootstrapInterval

    /// Summarises `scores`, one per question. Every metric resamples with the same seed, hence the
    /// same questions, so that the four intervals describe the same resampled test sets.
    public init(
        arm: String, scores: [AnswerMetrics], resamples: Int = BootstrapInterval.defaultResamples,
        confidence: Double = BootstrapInterval.defaultConfidence, seed: UInt64 = BootstrapInterval.defaultSeed
    ) {
        func interval(_ metric: KeyPath<AnswerMetrics, Double>) -> BootstrapInterval {
            BootstrapInterval(
                meanOf: scores.map { $0[keyPath: metric] }, resamples: resamples, confidence: confidence, seed: seed)
        }
        self.arm = arm
        questions = scores.count
        self.resamples = resamples
        self.confidence = confidence
        rougeL = interval(\.rougeL)
        tokenF1 = interval(\.tokenF1)
        bleu = interval(\.bleu)
        groundedness = interval(\.groundedness)
    }
}
