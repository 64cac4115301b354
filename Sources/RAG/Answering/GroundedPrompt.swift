import LanguageModel
import Tokenizers

/// The prompt of a grounded answer: the instructions, the numbered passages that fit, the
/// conversation so far, and the question, as the model's chat template encodes them.
public struct GroundedPrompt: Sendable, Equatable {
    public var messages: [ChatMessage]
    public var tokens: [Int]
    /// Leading tokens that every prompt with the same instructions shares: the model keeps their
    /// keys and values, so each question prefills only what follows them.
    public var sharedPrefixLength: Int
    /// The passages in the prompt, numbered from 1 (fewer than retrieved when the context is short).
    public var passages: [Passage]
    /// The question as the user asked it.
    public var question: String

    /// What the user wrote: the question and the user's earlier turns. An answer may repeat its
    /// figures without a passage.
    public var userText: String {
        (messages.dropLast().filter { $0.role == "user" }.map(\.content) + [question]).joined(separator: "\n")
    }
}

/// Builds grounded prompts that fit the model's context next to the answer budget.
public struct PromptBuilder: Sendable {
    /// Instructions the model always gets first. A fixed text, so that its keys and values are
    /// computed once: per-request text belongs after it.
    public var instructions: String

    public static let defaultInstructions = """
        You are a support assistant. Answer the question using only the numbered passages from the \
        product manuals. Cite the passages you use with their numbers in square brackets, like [1]. \
        If the passages do not contain the answer, say that the manuals do not cover it. Be brief.
        """

    /// How much of each passage the model reads; nil gives it whole chunks.
    public var focus: PassageFocus?

    /// Passage tokens by default: four passages and the question prefill in about a second on two
    /// cores, and the sentences nearest the question are kept.
    public static let defaultPassageTokenLimit = 120

    public init(
        instructions: String = PromptBuilder.defaultInstructions,
        focus: PassageFocus? = PassageFocus(tokenLimit: PromptBuilder.defaultPassageTokenLimit)
    ) {
        self.instructions = instructions
        self.focus = focus
    }

    /// The prompt for `question` with as many of `results` as fit, in order.
    /// - Parameters:
    ///   - conversation: earlier turns (user and assistant), oldest first.
    ///   - extraInstructions: the caller's own system message, placed after the fixed instructions.
    ///   - answerBudget: tokens kept free for the answer.
    public func build(
        question: String, results: [SearchResult], conversation: [ChatMessage] = [], extraInstructions: String? = nil,
        model: LanguageModel, answerBudget: Int
    ) throws(AnsweringError) -> GroundedPrompt {
        let budget = model.configuration.contextLength - answerBudget
        var passages = results.enumerated().map { Passage(number: $0.offset + 1, result: $0.element) }
        if let focus {
            for index in passages.indices {
                passages[index].text = focus.focus(passages[index].text, question: question) {
                    model.tokenizer.encode($0, parseSpecial: false).count
                }
            }
        }
        var prompt = try encode(question, passages, conversation, extraInstructions, model: model)
        while prompt.tokens.count > budget, passages.count > 1 {
            passages.removeLast()
            prompt = try encode(question, passages, conversation, extraInstructions, model: model)
        }
        if prompt.tokens.count > budget, let only = passages.first {
            // One passage too long for the context: keep its beginning.
            passages = []
            let bare = try encode(question, [], conversation, extraInstructions, model: model)
            guard bare.tokens.count < budget else {
                throw .promptTooLong(
                    promptTokens: bare.tokens.count, maxTokens: answerBudget,
                    contextLength: model.configuration.contextLength)
            }
            let room = budget - bare.tokens.count - 24  // the passage's number and source line
            var trimmed = only
            let ids = model.tokenizer.encode(only.text, parseSpecial: false)
            trimmed.text = model.tokenizer.decode(ids.prefix(max(0, room)))
            prompt = try encode(question, room > 0 ? [trimmed] : [], conversation, extraInstructions, model: model)
            if prompt.tokens.count > budget { prompt = bare }
        }
        return prompt
    }

    /// How a passage starts in the prompt: its number and its section's own heading. File paths and
    /// outer headings are left out: they are noise that a small model copies back.
    public static func passageHeader(_ passage: Passage) -> String {
        let title = passage.heading.components(separatedBy: " > ").last ?? ""
        return "[\(passage.number)] " + (title.isEmpty ? "" : title + ": ")
    }

    /// The user turn: the passages, then the question.
    public static func userMessage(question: String, passages: [Passage]) -> String {
        guard !passages.isEmpty else { return question }
        var text = "Passages from the manuals:\n\n"
        for passage in passages { text += passageHeader(passage) + passage.text + "\n\n" }
        return text + "Answer this question from the passages above, citing them like [1]: \(question)"
    }

    private func encode(
        _ question: String, _ passages: [Passage], _ conversation: [ChatMessage], _ extraInstructions: String?,
        model: LanguageModel
    ) throws(AnsweringError) -> GroundedPrompt {
        var messages = [ChatMessage(role: "system", content: instructions)]
        if let extraInstructions, !extraInstructions.isEmpty {
            messages[0].content += "\n\n" + extraInstructions
        }
        messages += conversation
        messages.append(ChatMessage(role: "user", content: Self.userMessage(question: question, passages: passages)))
        do {
            let tokens = try model.encodeChat(messages)
            let shared = try model.encodeChat(
                [ChatMessage(role: "system", content: instructions)], addGenerationPrompt: false)
            let common = zip(shared, tokens).prefix(while: { $0 == $1 }).count
            return GroundedPrompt(
                messages: messages, tokens: tokens, sharedPrefixLength: min(common, tokens.count - 1),
                passages: passages, question: question)
        } catch {
            throw .generation(error)
        }
    }
}
