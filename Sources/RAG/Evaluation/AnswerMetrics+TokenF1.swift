extension AnswerMetrics {
    /// SQuAD's token F1 of `answer` against `reference`: the words they share, counted as
    /// multisets (a word twice in both counts twice), over the answer's words for precision and
    /// the reference's for recall. SQuAD's normalisation (lower case, no punctuation, no articles
    /// "a", "an", "the") is applied on top of `ContentWords.tokens`, which already does the first
    /// two. Unlike SQuAD v2's script, which scores two empty texts 1, an empty side scores 0 here
    /// (see `AnswerMetrics`).
    public static func tokenF1(_ answer: String, reference: String) -> Double {
        tokenF1(ContentWords.tokens(answer), reference: ContentWords.tokens(reference))
    }

    static func tokenF1(_ answer: [String], reference: [String]) -> Double {
        let answerWords = answer.filter { !articles.contains($0) }
        let referenceWords = reference.filter { !articles.contains($0) }
        guard !answerWords.isEmpty, !referenceWords.isEmpty else { return 0 }
        var remaining: [String: Int] = [:]
        for word in referenceWords { remaining[word, default: 0] += 1 }
        var shared = 0
        for word in answerWords where remaining[word, default: 0] > 0 {
            remaining[word, default: 0] -= 1
            shared += 1
        }
        return f1(
            precision: Double(shared) / Double(answerWords.count),
            recall: Double(shared) / Double(referenceWords.count))
    }

    /// The English articles SQuAD's normalisation removes.
    static let articles: Set<String> = ["a", "an", "the"]
}
