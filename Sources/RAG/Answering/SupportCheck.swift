/// Whether each sentence of an answer is backed by the passages: a sentence is supported when at
/// least `threshold` of its content words other than figures appear in a passage it cites (or, when it cites none,
/// in any passage, which then becomes an inferred citation), and every figure it states (digits,
/// or a number word before a unit: see `Figures`) is in the passages it cites (or in that one
/// passage), or in the question.
///
/// Word overlap is what a reader checks first, needs no second model, and catches the common
/// failure of a small model: a fluent sentence whose facts (numbers, names, settings) are in no
/// passage. The figures catch the next one: a sentence in one passage's words with another
/// passage's number ("Replace the HEPA filter every 6 to 12 months", where 6 to 12 months is the
/// brush's interval). It cannot catch a sentence that reuses the passage's words and figures to
/// say something false.
public struct SupportCheck: Sendable {
    /// Share of a sentence's content words (figures aside) that must appear in one passage.
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
        /// Figures the sentence states that neither its passages nor the question hold.
        public var unbackedFigures: [String] = []
    }

    /// The verdict on every sentence of `answer` against `passages`; figures the `question` states
    /// may be repeated without a passage.
    public func check(_ answer: String, passages: [Passage], question: String = "") -> [Sentence] {
        let passageWords = Dictionary(
            passages.map { ($0.number, Set(ContentWords.of($0.heading + "\n" + $0.text))) },
            uniquingKeysWith: { first, _ in first })
        let passageFigures = Dictionary(
            passages.map { ($0.number, Figures.available(in: $0.heading + "\n" + $0.text)) },
            uniquingKeysWith: { first, _ in first })
        let askedFigures = Figures.available(in: question)
        return AnswerSentences.split(answer).map { sentence in
            let cited = CitationMarkers.numbers(in: sentence).filter { passageWords[$0] != nil }
            let claim = String(ListMarker.dropping(Substring(CitationMarkers.strip(sentence))))
            let allWords = Set(ContentWords.of(claim))
            guard allWords.count >= minimumWords else {
                return Sentence(
                    text: sentence, cited: cited, bestPassage: nil, support: 0, supported: true, judged: false)
            }
            // Figures are judged by being there, words by their share: a figure shared with the
            // wrong passage must not lift that passage's share.
            let words = allWords.filter { !$0.contains(where: \.isNumber) && !Figures.isNumberWord(Substring($0)) }
            let stated = Figures.stated(in: claim).subtracting(askedFigures)
            // A sentence may join the figures of the passages it cites; an uncited one is held to
            // the one passage that would be cited for it.
            let citedFigures = cited.reduce(into: Set<String>()) { $0.formUnion(passageFigures[$1] ?? []) }
            var best: (number: Int, share: Double, unbacked: Set<String>)?
            for number in cited.isEmpty ? passages.map(\.number) : cited {
                let share =
                    words.isEmpty
                    ? 1 : Double(words.intersection(passageWords[number] ?? []).count) / Double(words.count)
                let unbacked = stated.subtracting(cited.isEmpty ? passageFigures[number] ?? [] : citedFigures)
                let better =
                    best.map { best in
                        let reaches = share >= threshold && unbacked.isEmpty
                        let bestReaches = best.share >= threshold && best.unbacked.isEmpty
                        return reaches != bestReaches ? reaches : share > best.share
                    } ?? true
                if better { best = (number, share, unbacked) }
            }
            let share = best?.share ?? 0
            let unbacked = best?.unbacked ?? stated
            return Sentence(
                text: sentence, cited: cited, bestPassage: best?.number, support: share,
                supported: share >= threshold && unbacked.isEmpty, judged: true, unbackedFigures: unbacked.sorted())
        }
    }
}
