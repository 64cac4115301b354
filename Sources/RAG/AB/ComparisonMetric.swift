/// A per-answer score that an offline A/B comparison averages per arm and tests between arms.
///
/// The four overlap and grounding scores are `AnswerMetrics`'; the two rates are 1 or 0 per
/// answer, so their means are shares of the questions; latency is the answer's generation time
/// in milliseconds, where less is better.
public enum ComparisonMetric: String, Sendable, Codable, CaseIterable {
    case rougeL
    case tokenF1
    case bleu
    case groundedness
    case citesGoldSource
    case containsKeyFacts
    case latency

    /// The name a report shows.
    public var title: String {
        switch self {
        case .rougeL: return "ROUGE-L F1"
        case .tokenF1: return "Token F1"
        case .bleu: return "BLEU-4 (smoothed)"
        case .groundedness: return "Groundedness"
        case .citesGoldSource: return "Cites the gold source"
        case .containsKeyFacts: return "Holds the key facts"
        case .latency: return "Latency (ms)"
        }
    }

    /// One line on what the score measures, for the report.
    public var explanation: String {
        switch self {
        case .rougeL: return "longest common subsequence of words with the reference answer"
        case .tokenF1: return "words shared with the reference answer (SQuAD's F1)"
        case .bleu: return "1- to 4-gram precision against the reference, add-one smoothed"
        case .groundedness: return "share of the answer's content words found in the passages it was given"
        case .citesGoldSource: return "share of answers citing the document that holds the answer"
        case .containsKeyFacts: return "share of answers stating every number and code of the reference"
        case .latency: return "prompt processing and generation per answer, retrieval excluded"
        }
    }

    /// False for latency: a lower mean is the better arm.
    public var higherIsBetter: Bool { self != .latency }

    /// Whether the score lies in [0, 1] (every one but latency).
    public var isUnitInterval: Bool { self != .latency }

    /// The metrics that make the quality verdict; latency is reported beside it.
    public static let quality: [ComparisonMetric] = allCases.filter(\.higherIsBetter)

    /// The score of one answer.
    public func value(of outcome: AnswerOutcome) -> Double {
        switch self {
        case .rougeL: return outcome.metrics.rougeL
        case .tokenF1: return outcome.metrics.tokenF1
        case .bleu: return outcome.metrics.bleu
        case .groundedness: return outcome.metrics.groundedness
        case .citesGoldSource: return outcome.citesGoldSource ? 1 : 0
        case .containsKeyFacts: return outcome.containsKeyFacts ? 1 : 0
        case .latency: return outcome.totalMilliseconds
        }
    }
}
