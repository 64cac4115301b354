import LanguageModel

/// One arm of an offline comparison summarised over its answers: the scores `rag eval answers`
/// reports (means, rates, latency percentiles) and a 95% bootstrap interval for every
/// `ComparisonMetric`.
public struct ArmResult: Sendable, Codable {
    /// "base", or the adapter's name.
    public var arm: String
    /// The adapter's name; nil for the base model.
    public var adapter: String?
    public var scores: AnswerScores
    public var citesGoldSource: BootstrapInterval
    public var containsKeyFacts: BootstrapInterval
    /// The mean generation time in milliseconds, with its interval.
    public var latency: BootstrapInterval
    /// Answers that reached the token limit, cut mid-sentence.
    public var cutAtLimit: Int
    /// Generated answers left empty: the model said nothing usable and there was no passage to
    /// quote instead (a question asked without retrieval). They score 0 on every metric.
    public var empty: Int
    /// Answers that quote the best passage because the model said nothing usable: each is a
    /// failure of the arm that the passage's own words score well for.
    public var quotedPassage: Int

    /// Summarises one arm's answers. Every interval resamples with the same seed, hence the same
    /// questions, as `ArmSummary` does.
    public init(
        arm: String, adapter: String?, answers: [ComparedAnswer],
        resamples: Int = BootstrapInterval.defaultResamples, seed: UInt64 = BootstrapInterval.defaultSeed
    ) {
        func interval(_ metric: ComparisonMetric) -> BootstrapInterval {
            BootstrapInterval(meanOf: outcomes.map(metric.value), resamples: resamples, seed: seed)
        }
        let outcomes = answers.map(\.outcome)
        self.arm = arm
        self.adapter = adapter
        cutAtLimit = answers.filter { $0.finishReason == .length }.count
        empty = outcomes.filter { $0.covered && $0.answer.isEmpty }.count
        quotedPassage = answers.filter(\.quotesPassage).count
        scores = AnswerScores(outcomes)
        scores.metrics = ArmSummary(arm: arm, scores: outcomes.map(\.metrics), resamples: resamples, seed: seed)
        citesGoldSource = interval(.citesGoldSource)
        containsKeyFacts = interval(.containsKeyFacts)
        latency = interval(.latency)
    }

    /// The mean of `metric` over the arm's answers, with its interval.
    public func interval(_ metric: ComparisonMetric) -> BootstrapInterval {
        switch metric {
        case .rougeL: return scores.metrics.rougeL
        case .tokenF1: return scores.metrics.tokenF1
        case .bleu: return scores.metrics.bleu
        case .groundedness: return scores.metrics.groundedness
        case .citesGoldSource: return citesGoldSource
        case .containsKeyFacts: return containsKeyFacts
        case .latency: return latency
        }
    }
}
