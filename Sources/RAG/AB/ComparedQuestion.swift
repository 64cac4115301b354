import LanguageModel

/// One question of an offline A/B comparison: retrieved once, then answered by every arm from
/// the same passages.
public struct ComparedQuestion: Sendable, Codable {
    public var id: String
    public var question: String
    public var reference: String
    /// The document that holds the answer, relative to the corpus folder.
    public var source: String
    public var heading: String
    /// False when retrieval found nothing relevant: every arm then gives the fixed "not covered"
    /// answer, and the question cannot tell the arms apart.
    public var covered: Bool
    /// The passages every arm was given, numbered as the answers cite them.
    public var passages: [Passage]
    public var retrievalMilliseconds: Double
    /// One answer per arm, in the order of the report's arms.
    public var answers: [ComparedAnswer]

    public init(
        id: String, question: String, reference: String, source: String, heading: String, covered: Bool,
        passages: [Passage], retrievalMilliseconds: Double, answers: [ComparedAnswer]
    ) {
        self.id = id
        self.question = question
        self.reference = reference
        self.source = source
        self.heading = heading
        self.covered = covered
        self.passages = passages
        self.retrievalMilliseconds = retrievalMilliseconds
        self.answers = answers
    }
}

/// One arm's answer to a compared question, with its scores and what it cites.
public struct ComparedAnswer: Sendable, Codable {
    public var arm: String
    /// The text and its scores against the reference and the passages.
    public var outcome: AnswerOutcome
    public var citations: [Citation]
    public var unsupportedSentences: [String]
    public var finishReason: FinishReason
    public var completionTokens: Int
    /// The model said nothing usable and the answer quotes the best passage (`Answer.quotesPassage`):
    /// its scores are the passage's, not the model's.
    public var quotesPassage: Bool

    public init(arm: String, question: RetrievalQuestion, answer: Answer) {
        self.arm = arm
        outcome = AnswerOutcome(question: question, answer: answer)
        citations = answer.citations
        unsupportedSentences = answer.unsupportedSentences
        finishReason = answer.finishReason
        completionTokens = answer.usage.completionTokens
        quotesPassage = answer.quotesPassage
    }

    public init(
        arm: String, outcome: AnswerOutcome, citations: [Citation] = [], unsupportedSentences: [String] = [],
        finishReason: FinishReason = .stop, completionTokens: Int = 0, quotesPassage: Bool = false
    ) {
        self.arm = arm
        self.outcome = outcome
        self.citations = citations
        self.unsupportedSentences = unsupportedSentences
        self.finishReason = finishReason
        self.completionTokens = completionTokens
        self.quotesPassage = quotesPassage
    }
}
