import LanguageModel
import VectorIndex

/// Why a question could not be answered; each case says what to change.
public enum AnsweringError: Error, Equatable, CustomStringConvertible {
    /// The question is empty or only whitespace.
    case emptyQuestion
    /// A request field is out of range; the message names it.
    case invalidRequest(field: String, message: String)
    /// Even the question alone does not fit the context window next to the answer budget.
    case promptTooLong(promptTokens: Int, maxTokens: Int, contextLength: Int)
    /// The model waits on too many requests already.
    case queueFull(waiting: Int)
    case retrieval(VectorIndexError)
    case generation(LanguageModelError)

    public var description: String {
        switch self {
        case .emptyQuestion:
            return "the question is empty"
        case .invalidRequest(_, let message):
            return message
        case .promptTooLong(let promptTokens, let maxTokens, let contextLength):
            return "the question takes \(promptTokens) tokens; with max_tokens \(maxTokens) it does not fit the "
                + "model's context of \(contextLength) tokens. Shorten the question or lower max_tokens"
        case .queueFull(let waiting):
            return "the model is busy: \(waiting) requests are waiting already. Retry in a moment"
        case .retrieval(let error):
            return "retrieval failed: \(error)"
        case .generation(let error):
            return "\(error)"
        }
    }
}
