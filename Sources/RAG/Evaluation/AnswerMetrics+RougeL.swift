extension AnswerMetrics {
    /// ROUGE-L F1 of `answer` against `reference` (Lin 2004): with L the length of the longest
    /// common subsequence of their words, precision L / |answer|, recall L / |reference|, and their
    /// harmonic mean, as `rouge-score`'s `rougeL` fmeasure. A subsequence rewards the reference's
    /// words in the reference's order without asking them to be adjacent, which suits answers that
    /// paraphrase around the facts.
    public static func rougeL(_ answer: String, reference: String) -> Double {
        rougeL(ContentWords.tokens(answer), reference: ContentWords.tokens(reference))
    }

    static func rougeL(_ answer: [String], reference: [String]) -> Double {
        guard !answer.isEmpty, !reference.isEmpty else { return 0 }
        let common = Double(longestCommonSubsequence(answer, reference))
        return f1(precision: common / Double(answer.count), recall: common / Double(reference.count))
    }

    /// The length of the longest common subsequence of `a` and `b`, by dynamic programming over
    /// two rows.
    /// - Complexity: O(|a|·|b|) time, O(|b|) memory.
    static func longestCommonSubsequence(_ a: [String], _ b: [String]) -> Int {
        var previous = [Int](repeating: 0, count: b.count + 1)
        var current = previous
        for word in a {
            for j in 0..<b.count {
                current[j + 1] = word == b[j] ? previous[j] + 1 : max(previous[j + 1], current[j])
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
