import Foundation

extension AnswerMetrics {
    /// The longest n-grams BLEU counts.
    static let bleuOrder = 4

    /// Sentence BLEU of `answer` against the single `reference` (Papineni et al. 2002): the
    /// geometric mean of the clipped 1- to 4-gram precisions, times the brevity penalty
    /// exp(1 − |reference| / |answer|) when the answer is the shorter.
    ///
    /// One sentence rarely shares a 4-gram with its reference, and plain BLEU is then 0 however
    /// close the words are, so the 2- to 4-gram precisions are smoothed with Lin and Och's add-one
    /// (ORANGE, COLING 2004): (matches + 1) / (n-grams + 1). This is NLTK's
    /// `SmoothingFunction().method2`; as in NLTK, an answer without a single shared word scores 0,
    /// and an answer too short to hold any n-gram of some order has 1 in that precision's
    /// denominator before the smoothing adds its 1.
    public static func bleu(_ answer: String, reference: String) -> Double {
        bleu(ContentWords.tokens(answer), reference: ContentWords.tokens(reference))
    }

    static func bleu(_ answer: [String], reference: [String]) -> Double {
        guard !answer.isEmpty, !reference.isEmpty else { return 0 }
        var logPrecisions = 0.0
        for order in 1...bleuOrder {
            let referenceCounts = nGramCounts(reference, order: order)
            var matches = 0
            for (gram, count) in nGramCounts(answer, order: order) {
                matches += min(count, referenceCounts[gram, default: 0])
            }
            let total = max(1, answer.count - order + 1)
            if order == 1, matches == 0 { return 0 }
            let precision =
                order == 1 ? Double(matches) / Double(total) : Double(matches + 1) / Double(total + 1)
            logPrecisions += log(precision) / Double(bleuOrder)
        }
        let brevity =
            answer.count > reference.count ? 1 : exp(1 - Double(reference.count) / Double(answer.count))
        return brevity * exp(logPrecisions)
    }

    /// How many times each run of `order` consecutive words occurs in `words`.
    static func nGramCounts(_ words: [String], order: Int) -> [ArraySlice<String>: Int] {
        guard words.count >= order else { return [:] }
        var counts: [ArraySlice<String>: Int] = [:]
        for start in 0...(words.count - order) {
            counts[words[start..<(start + order)], default: 0] += 1
        }
        return counts
    }
}
