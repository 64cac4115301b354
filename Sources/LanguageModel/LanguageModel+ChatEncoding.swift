import Foundation
import Tokenizers

extension LanguageModel {
    /// Token ids of `messages` in the model's chat template, the assistant turn opened when
    /// `addGenerationPrompt`.
    ///
    /// The template's own markup is encoded with its special tokens, but the messages' contents
    /// never are: a question or a manual that contains `<|im_start|>` stays text and cannot open
    /// a turn of its own. Each content is encoded apart from the markup around it; chat templates
    /// end markup with a special token or a line break and start contents after one, which is where
    /// the pre-tokenizers split anyway, so the ids are those of encoding the rendered text whole.
    public func encodeChat(_ messages: [ChatMessage], addGenerationPrompt: Bool = true) throws(LanguageModelError)
        -> [Int]
    {
        guard let chatTemplate else {
            throw .tokenizer("\(url.path) has no chat template this runtime can render (ChatML or Llama 3)")
        }
        let marker: Character = "\u{F8FF}"
        let placeholders = messages.indices.map { "\(marker)\($0)\(marker)" }
        let rendered = chatTemplate.render(
            zip(messages, placeholders).map { ChatMessage(role: $0.role, content: $1) },
            addGenerationPrompt: addGenerationPrompt)
        var ids: [Int] = []
        // Between markers: markup, then a content index, alternately.
        for (index, part) in rendered.split(separator: marker, omittingEmptySubsequences: false).enumerated() {
            if index % 2 == 0 {
                ids += tokenizer.encode(String(part), parseSpecial: true)
            } else if let number = Int(part) {
                var content = messages[number].content.filter { $0 != marker }
                if chatTemplate.family == .llama3 {  // as `render` does
                    content = content.trimmingCharacters(in: .whitespacesAndNewlines)
                }
                ids += tokenizer.encode(content, parseSpecial: false)
            }
        }
        return ids
    }
}
