import LanguageModel
import Tokenizers

/// One question for `QuestionAnswerer`, with how to retrieve and how to generate.
public struct AnswerRequest: Sendable {
    public var question: String
    /// What to search the collection for, when not the question alone (a follow-up question in a
    /// conversation, with the question before it).
    public var retrievalQuery: String?
    /// Passages to retrieve (4 keeps the prompt lean: prefill is most of the time to first token).
    public var k: Int
    public var mode: SearchMode
    /// Only documents whose source starts with it.
    public var sourcePrefix: String?
    /// False answers from the model alone, without the manuals (a plain chat completion).
    public var useRetrieval: Bool
    /// Earlier turns of the conversation, oldest first.
    public var conversation: [ChatMessage]
    /// The caller's own system message, after the fixed instructions.
    public var extraInstructions: String?
    public var generation: GenerationOptions

    public init(
        question: String, k: Int = 4, mode: SearchMode = .hybrid, sourcePrefix: String? = nil,
        useRetrieval: Bool = true, conversation: [ChatMessage] = [], extraInstructions: String? = nil,
        generation: GenerationOptions = GenerationOptions(maxTokens: 256)
    ) {
        self.question = question
        retrievalQuery = nil
        self.k = k
        self.mode = mode
        self.sourcePrefix = sourcePrefix
        self.useRetrieval = useRetrieval
        self.conversation = conversation
        self.extraInstructions = extraInstructions
        self.generation = generation
    }

    /// Largest `k` accepted: more passages than this cannot fit a small model's context anyway.
    public static let maximumK = 50
}
