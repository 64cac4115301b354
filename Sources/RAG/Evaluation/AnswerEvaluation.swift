import Foundation

/// One question answered and scored against its reference.
public struct AnswerOutcome: Sendable, Codable {
    public var id: String
    public var question: String
    public var answer: String
    public var covered: Bool
    /// The model said nothing usable and the answer quotes the best passage: its scores are the
    /// manual's words, not the model's.
    public var quotesPassage: Bool
    /// Sentences no passage backs (`SupportCheck`).
    public var unsupportedSentences: [String]
    /// Whether a citation names the document the question's answer is in.
    public var citesGoldSource: Bool
    /// The reference's key facts (its numbers and codes) and whether the answer holds all of them.
    public var keyFacts: [String]
    public var containsKeyFacts: Bool
    /// ROUGE-L, token F1 and BLEU against the reference; groundedness in the passages.
    public var metrics: AnswerMetrics
    /// Prompt tokens, and those of them whose keys and values were cached: the rest were prefilled
    /// before the first token.
    public var promptTokens: Int
    public var cachedPromptTokens: Int
    public var timeToFirstTokenMilliseconds: Double
    public var totalMilliseconds: Double
}

extension AnswerOutcome {
    /// Scores `answer` to `question` against the question's reference answer and gold source.
    public init(question: RetrievalQuestion, answer: Answer) {
        let reference = question.answer ?? ""
        id = question.id
        self.question = question.question
        self.answer = answer.text
        covered = answer.covered
        quotesPassage = answer.quotesPassage
        unsupportedSentences = answer.unsupportedSentences
        citesGoldSource = AnswerEvaluation.citesGoldSource(answer.citations, source: question.source)
        keyFacts = AnswerEvaluation.keyFacts(in: reference, question: question.question)
        containsKeyFacts = AnswerEvaluation.containsKeyFacts(
            answer.text, reference: reference, question: question.question)
        metrics = AnswerMetrics(answer: answer.text, reference: reference, passages: answer.passages.map(\.text))
        promptTokens = answer.usage.promptTokens
        cachedPromptTokens = answer.usage.cachedPromptTokens
        timeToFirstTokenMilliseconds = answer.timings.timeToFirstTokenMilliseconds
        totalMilliseconds = answer.timings.totalMilliseconds
    }
}

/// Aggregates over a question set.
public struct AnswerScores: Sendable, Codable {
    public var questions: Int
    public var citesGoldSource: Double
    public var containsKeyFacts: Double
    public var covered: Double
    /// Answers that quote the best passage because the model said nothing usable.
    public var quotingPassage: Int
    /// Share of answers with at least one sentence no passage backs.
    public var withUnsupportedSentences: Double
    /// Means of the per-answer metrics, each with its 95% bootstrap interval.
    public var metrics: ArmSummary
    /// The median of prompt tokens prefilled per answer (not cached).
    public var prefilledTokensMedian: Double
    public var timeToFirstTokenMedianMilliseconds: Double
    public var timeToFirstTokenP95Milliseconds: Double
    public var totalMedianMilliseconds: Double
    public var totalP95Milliseconds: Double

    public init(_ outcomes: [AnswerOutcome]) {
        let count = Double(max(outcomes.count, 1))
        questions = outcomes.count
        citesGoldSource = Double(outcomes.filter(\.citesGoldSource).count) / count
        containsKeyFacts = Double(outcomes.filter(\.containsKeyFacts).count) / count
        covered = Double(outcomes.filter(\.covered).count) / count
        quotingPassage = outcomes.filter(\.quotesPassage).count
        withUnsupportedSentences = Double(outcomes.filter { !$0.unsupportedSentences.isEmpty }.count) / count
        metrics = ArmSummary(arm: "answers", scores: outcomes.map(\.metrics))
        prefilledTokensMedian = Self.quantile(
            outcomes.filter(\.covered).map { Double($0.promptTokens - $0.cachedPromptTokens) }.sorted(), 0.5)
        let firstTokens = outcomes.map(\.timeToFirstTokenMilliseconds).sorted()
        let totals = outcomes.map(\.totalMilliseconds).sorted()
        timeToFirstTokenMedianMilliseconds = Self.quantile(firstTokens, 0.5)
        timeToFirstTokenP95Milliseconds = Self.quantile(firstTokens, 0.95)
        totalMedianMilliseconds = Self.quantile(totals, 0.5)
        totalP95Milliseconds = Self.quantile(totals, 0.95)
    }

    /// The nearest-rank quantile of sorted values.
    static func quantile(_ sorted: [Double], _ q: Double) -> Double {
        guard !sorted.isEmpty else { return 0 }
        let rank = Int((q * Double(sorted.count)).rounded(.up)) - 1
        return sorted[min(max(rank, 0), sorted.count - 1)]
    }
}

/// Answers a question set end to end and scores what matters to a reader: does the answer cite
/// the right manual, and does it state the reference's facts.
public enum AnswerEvaluation {
    /// The facts a correct answer must state: the reference's tokens that hold a digit (times,
    /// quantities, part numbers, error codes), lower-cased, without surrounding punctuation, except
    /// those the question already names ("X2" in "does the X2 ..."). Wording varies between correct
    /// answers; these do not.
    public static func keyFacts(in reference: String, question: String = "") -> [String] {
        let asked = Set(tokens(question))
        var seen = Set<String>()
        return tokens(reference).filter { token in
            token.contains(where: \.isNumber) && !asked.contains(token) && seen.insert(token).inserted
        }
    }

    /// Words split at spaces and, since Chinese and Japanese write none, around every ideograph
    /// ("保修24个月" holds the fact "24"), without surrounding punctuation.
    private static func tokens(_ text: String) -> [String] {
        text.split { $0.isWhitespace || $0.unicodeScalars.contains(where: ContentWords.isIdeograph) }.map {
            $0.trimmingCharacters(in: .punctuationCharacters).lowercased()
        }.filter { !$0.isEmpty }
    }

    /// Whether `answer` states the reference's key facts; for a reference without any, whether it
    /// holds at least half of the reference's content words.
    public static func containsKeyFacts(_ answer: String, reference: String, question: String = "") -> Bool {
        let facts = keyFacts(in: reference, question: question)
        let lowered = answer.lowercased()
        if !facts.isEmpty { return facts.allSatisfy { lowered.contains($0) } }
        let words = Set(ContentWords.of(reference))
        guard !words.isEmpty else { return true }
        return Double(words.intersection(ContentWords.of(answer)).count) / Double(words.count) >= 0.5
    }

    /// Whether a citation names the gold document: its source ends with the question's `source`
    /// (the question file gives paths relative to the corpus folder).
    public static func citesGoldSource(_ citations: [Citation], source: String) -> Bool {
        citations.contains { $0.source.hasSuffix(source) }
    }

    /// Answers each question with `request`'s settings and scores it.
    public static func outcomes(
        _ questions: [RetrievalQuestion], answerer: QuestionAnswerer, request: AnswerRequest,
        progress: ((Int) -> Void)? = nil
    ) async throws -> [AnswerOutcome] {
        var outcomes: [AnswerOutcome] = []
        for (index, question) in questions.enumerated() {
            var asked = request
            asked.question = question.question
            let answer = try await answerer.answer(asked)
            outcomes.append(AnswerOutcome(question: question, answer: answer))
            progress?(index + 1)
        }
        return outcomes
    }
}
