import Foundation

/// One turn of a conversation.
public struct ChatMessage: Sendable, Equatable, Codable {
    /// `system`, `user` or `assistant` (any role is rendered as given).
    public var role: String
    public var content: String

    public init(role: String, content: String) {
        self.role = role
        self.content = content
    }
}

/// Renders a conversation into the prompt text a chat model was trained on.
///
/// A GGUF carries its template as Jinja source (`tokenizer.chat_template`). Rather than interpret Jinja,
/// the family is recognised from its markers, as llama.cpp's built-in templates do, and rendered natively:
///
/// - ChatML (`<|im_start|>`; SmolLM2, Qwen2): `<|im_start|>{role}\n{content}<|im_end|>\n` per message, and
///   `<|im_start|>assistant\n` as the generation prompt. Templates that open with a default system message
///   when the conversation has none (SmolLM2: "You are a helpful AI assistant named SmolLM…", Qwen2.5:
///   "You are Qwen, created by Alibaba Cloud…") say so in a string literal of the template; that text is read
///   from the template itself, not hard-coded.
/// - Llama 3 (`<|start_header_id|>`): `<|start_header_id|>{role}<|end_header_id|>\n\n{content, trimmed}<|eot_id|>`
///   per message and `<|start_header_id|>assistant<|end_header_id|>\n\n` as the prompt. The BOS token is not
///   part of the text: the tokenizer adds it (`encode(_:addSpecialTokens: true)`), as llama.cpp does. The
///   date-stamped default system message of Llama 3.1+ templates is not reproduced.
///
/// Any other template is an error (`TokenizerError.unsupportedChatTemplate`) rather than a silent ChatML
/// guess: a model prompted in the wrong format answers badly without any sign of why.
public struct ChatTemplate: Sendable, Equatable {
    public enum Family: String, Sendable {
        case chatML = "chatml"
        case llama3 = "llama3"
    }

    public let family: Family
    /// Inserted as the first message when a conversation does not start with a system message.
    public let defaultSystemMessage: String?

    public init(family: Family, defaultSystemMessage: String? = nil) {
        self.family = family
        self.defaultSystemMessage = defaultSystemMessage
    }

    /// Recognises the family of a Jinja chat template; `source` names where it came from in errors.
    public init(template: String, source: String = "tokenizer.chat_template") throws(TokenizerError) {
        if template.contains("<|im_start|>") {
            self.init(family: .chatML, defaultSystemMessage: Self.defaultSystemMessage(inChatML: template))
        } else if template.contains("<|start_header_id|>") {
            self.init(family: .llama3)
        } else {
            throw .unsupportedChatTemplate(
                path: source, reason: "it contains neither <|im_start|> (ChatML) nor <|start_header_id|> (Llama 3)")
        }
    }

    /// The prompt text of `messages`, ending with the assistant's header when `addGenerationPrompt`.
    public func render(_ messages: [ChatMessage], addGenerationPrompt: Bool = true) -> String {
        var text = ""
        switch family {
        case .chatML:
            if let defaultSystemMessage, let first = messages.first, first.role != "system" {
                text += "<|im_start|>system\n\(defaultSystemMessage)<|im_end|>\n"
            }
            for message in messages {
                text += "<|im_start|>\(message.role)\n\(message.content)<|im_end|>\n"
            }
            if addGenerationPrompt { text += "<|im_start|>assistant\n" }
        case .llama3:
            for message in messages {
                let content = message.content.trimmingCharacters(in: .whitespacesAndNewlines)
                text += "<|start_header_id|>\(message.role)<|end_header_id|>\n\n\(content)<|eot_id|>"
            }
            if addGenerationPrompt { text += "<|start_header_id|>assistant<|end_header_id|>\n\n" }
        }
        return text
    }
}
