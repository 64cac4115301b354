/// Whether each sentence of an answer is backed by the passages: a sentence is supported when at
/// least `threshold` of its content words appear in a passage it cites (or, when it cites none,
/// in any passage, which then becomes an inferred citation).
///
/// Word overlap is what a reader checks first, needs no second model, and catches the common
/// failure of a small model: a fluent sentence whose facts (numbers, names, settings) are in no
/// passage. It cannot catch a sentence that reuses the passage's words to say something false.
public struct SupportCheck: Sendable {
    /// Share of a sentence's content words that must appear in one passage.
    public var threshold: Double
    /// Sentences with fewer content words ("Sure!", "Here is how:") are not judged.
    public var minimumWords: Int

    public init(threshold: Double = 0.5, minimumWords: Int = 3) {
        self.threshold = threshold
        self.minimumWords = minimumWords
    }

    /// One sentence's verdict.
    public struct Sentence: Sendable, Equatable, Codable {
        public var text: String
        /// Passage numbers the sentence marks.
        public var cited: [Int]
        /// The passage that backs it best and the share of its content words found there.
        public var bestPassage: Int?
        public var support: Double
        /// False for sentences no passage backs; true for supported or unjudged (too short) ones.
        public var supported: Bool
        /// Whether the sentence says enough to be judged (and so to cite anything).
        public var judged: Bool
    }

    /// The verdict on every sentence of `answer` against `passages`.
    public func check(_ answer: String, passages: [Passage]) -> [Sentence] {
        let passageWords = Dictionary(
            passages.map { ($0.number, Set(ContentWords.of($0.heading + "\n" + $0.text))) },
            uniquingKeysWith: { first, _ in first })
        return AnswerSentences.split(answer).map { sentence in
            let cited = CitationMarkers.numbers(in: sentence).filter { passageWords[$0] != nil }
            let words = Set(ContentWords.of(CitationMarkers.strip(sentence)))
            guard words.count >= minimumWords else {
                return Sentence(
                    text: sentence, cited: cited, bestPassage: nil, support: 0, supported: true, judged: false)
            }
            let candidates = cited.isEmpty ? passages.map(\.number) : cited
            var best: (number: Int, share: Double)?
            for number in candidates {
                let share = Double(words.intersection(passageWords[number] ?? []).count) / Double(words.count)
                if share > (best?.share ?? -1) { best = (number, share) }
            }
            let share = best?.share ?? 0
            return Sentence(
                text: sentence, cited: cited, bestPassage: best?.number, support: share, supported: share >= threshold,
                judged: true)
        }
    }
}
