import LanguageModel

/// A grounded answer: the text, what it cites, what no passage backs, and what it cost.
public struct Answer: Sendable, Equatable {
    public var text: String
    /// The passages the answer draws on, in order of first use.
    public var citations: [Citation]
    /// Every passage the model was given, numbered as the answer cites them.
    public var passages: [Passage]
    /// Sentences of the answer that no passage supports.
    public var unsupportedSentences: [String]
    /// False when retrieval found nothing relevant and the answer says so without generating.
    public var covered: Bool
    public var finishReason: FinishReason
    public var usage: TokenUsage
    public var timings: AnswerTimings
    /// True when the model said nothing usable and the answer quotes the best passage instead
    /// (`PassageExtract`), so a client or an A/B analysis can tell the two apart.
    public var quotesPassage = false
}

/// Tokens a request used.
public struct TokenUsage: Sendable, Equatable, Codable {
    public var promptTokens: Int
    public var completionTokens: Int
    /// Prompt tokens whose keys and values came from the prefix cache.
    public var cachedPromptTokens: Int
    public var totalTokens: Int { promptTokens + completionTokens }

    public init(promptTokens: Int, completionTokens: Int, cachedPromptTokens: Int = 0) {
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
        self.cachedPromptTokens = cachedPromptTokens
    }
}

/// Where an answer's time went, in milliseconds.
public struct AnswerTimings: Sendable, Equatable, Codable {
    /// Embedding the question and searching the collection.
    public var retrievalMilliseconds: Double
    /// Waiting for the model (other requests ahead in the queue).
    public var queueMilliseconds: Double
    /// From the request to the first generated token.
    public var timeToFirstTokenMilliseconds: Double
    public var totalMilliseconds: Double
}

/// What an answer stream delivers: the passages first (so a client can show sources while the
/// text arrives), then pieces of text, then the finished answer with citations.
public enum AnswerEvent: Sendable, Equatable {
    case passages([Passage])
    case text(String)
    case finished(Answer)
}
