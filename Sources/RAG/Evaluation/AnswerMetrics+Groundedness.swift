extension AnswerMetrics {
    /// The share of the answer's distinct content words (`ContentWords.of`) that occur among the
    /// content words of `passages`, the texts the answer was generated from: a cheap proxy for
    /// "says only what the sources say". A word the model brought in from elsewhere, a wrong number
    /// above all, lowers it.
    ///
    /// Words are counted once each, so a small model that loops on one phrase neither gains nor
    /// loses by the repetition. An answer without content words ("I don't know.", or nothing)
    /// scores 0: it states nothing the passages back, and an arm must not raise its mean by saying
    /// less. No passages score 0 for the same reason.
    public static func groundedness(_ answer: String, passages: [String]) -> Double {
        let answerWords = Set(ContentWords.of(answer))
        guard !answerWords.isEmpty else { return 0 }
        var passageWords = Set<String>()
        for passage in passages { passageWords.formUnion(ContentWords.of(passage)) }
        let grounded = answerWords.intersection(passageWords).count
        return Double(grounded) / Double(answerWords.count)
    }
}
