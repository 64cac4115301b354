/// How close one answer comes to its reference answer, and how much of it the retrieved
/// passages back: the per-question scores an A/B comparison of two arms averages and tests.
///
/// Every score lies in [0, 1]. The three overlap scores read words through
/// `ContentWords.tokens`, so they are case-blind, ignore punctuation, drop a plural `s`, and count
/// each Chinese or Japanese character as a word (scoring those scripts by character is the
/// custom: they write no spaces). An empty answer or an empty reference scores 0 on all three: an
/// answer that says nothing matches nothing, and a reference without words is a broken test item
/// that should not reward any answer.
public struct AnswerMetrics: Sendable, Codable, Equatable {
    /// ROUGE-L F1: the longest common subsequence of words, as `rouge-score` computes it.
    public var rougeL: Double
    /// SQuAD's token F1: the words the two share as multisets, articles left out.
    public var tokenF1: Double
    /// Sentence BLEU up to 4-grams with add-one smoothing (see `bleu(_:reference:)`).
    public var bleu: Double
    /// The share of the answer's content words that the retrieved passages hold.
    public var groundedness: Double

    public init(rougeL: Double, tokenF1: Double, bleu: Double, groundedness: Double) {
        self.rougeL = rougeL
        self.tokenF1 = tokenF1
        self.bleu = bleu
        self.groundedness = groundedness
    }

    /// Scores `answer` against `reference`, and against the texts of the passages it was given.
    public init(answer: String, reference: String, passages: [String]) {
        let answerTokens = ContentWords.tokens(answer)
        let referenceTokens = ContentWords.tokens(reference)
        self.init(
            rougeL: Self.rougeL(answerTokens, reference: referenceTokens),
            tokenF1: Self.tokenF1(answerTokens, reference: referenceTokens),
            bleu: Self.bleu(answerTokens, reference: referenceTokens),
            groundedness: Self.groundedness(answer, passages: passages))
    }

    /// The harmonic mean of precision and recall (F-measure with beta = 1); 0 when both are 0.
    static func f1(precision: Double, recall: Double) -> Double {
        precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0
    }
}
