import ArgumentParser
import Foundation
import LanguageModel
import Tokenizers

/// `rag generate`: a continuation of a prompt by the local language model, streamed.
struct GenerateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Continue a prompt with the local language model, streaming the text.",
        discussion: """
            With --chat the prompt is the user's message, rendered with the model's chat template (and --system \
            as the system message). With --json one object is printed at the end: {"prompt_ids", "top_logits" \
            (the 20 largest [id, logit] at the last prompt position), "ids", "text", "finish_reason"}.
            """)

    @OptionGroup var model: LanguageModelOptions
    @OptionGroup var adapter: AdapterOptions

    @Argument(help: "The prompt (raw text, or the user's message with --chat).")
    var prompt: String

    @Flag(help: "Render the prompt as a chat with the model's template.")
    var chat = false

    @Option(help: "System message with --chat (default: the template's own, if it has one).")
    var system: String?

    @Option(help: "Most tokens to generate.")
    var maxTokens = 256

    @Option(help: "0 for greedy decoding.")
    var temperature: Float = 0

    @Option(help: "Keep the k most likely tokens (0: all).")
    var topK = 40

    @Option(help: "Nucleus sampling threshold.")
    var topP: Float = 0.95

    @Option(help: "Drop tokens below min-p times the best one's probability.")
    var minP: Float = 0.05

    @Option(help: "Penalty on tokens of the last 64 (1: none).")
    var repeatPenalty: Float = 1

    @Option(help: "Seed of the sampler: the same seed gives the same text.")
    var seed: UInt64 = 0

    @Option(help: "Stop when this text appears (repeatable).")
    var stop: [String] = []

    @Flag(help: "Print one JSON object with ids and logits instead of streaming text.")
    var json = false

    func run() async throws {
        if system != nil && !chat { throw ValidationError("--system needs --chat.") }
        let model = try model.load()
        var text = prompt
        if chat {
            var messages: [ChatMessage] = []
            if let system { messages.append(ChatMessage(role: "system", content: system)) }
            messages.append(ChatMessage(role: "user", content: prompt))
            text = try model.renderChat(messages)
        }
        let ids = model.encode(text)
        let adapters = try adapter.load(for: model)
        let options = GenerationOptions(
            maxTokens: maxTokens,
            sampling: SamplingOptions(
                temperature: temperature, topK: topK, topP: topP, minP: minP, repetitionPenalty: repeatPenalty,
                seed: seed),
            stop: stop, adapters: adapters)
        if json {
            var top: [[Double]] = []
            var output = ""
            let summary = try model.generate(
                promptTokens: ids, options: options,
                promptLogits: { logits in
                    top = logits.indices.sorted { logits[$0] != logits[$1] ? logits[$0] > logits[$1] : $0 < $1 }
                        .prefix(20).map { [Double($0), Double(logits[$0])] }
                }, emit: { output += $0 })
            try JSONOutput.print(
                GenerateOutput(
                    promptIds: ids, topLogits: top, ids: summary.ids, text: output,
                    finishReason: summary.finishReason.rawValue))
            return
        }
        for try await event in model.generate(promptTokens: ids, options: options) {
            switch event {
            case .promptProcessed: break
            case .text(let piece):
                FileHandle.standardOutput.write(Data(piece.utf8))
            case .finished(let summary):
                FileHandle.standardOutput.write(Data("\n".utf8))
                FileHandle.standardError.write(
                    Data(
                        String(
                            format:
                                "generate: %d prompt tokens, %d generated (%@), first token %.0f ms, %.1f tokens/s\n",
                            summary.promptTokens, summary.generatedTokens, summary.finishReason.rawValue,
                            summary.timeToFirstToken * 1000,
                            Double(summary.generatedTokens) / max(summary.totalSeconds - summary.timeToFirstToken, 1e-9)
                        ).utf8))
            }
        }
    }
}

/// What `rag generate --json` prints.
struct GenerateOutput: Encodable {
    var promptIds: [Int]
    /// [id, logit] pairs, the largest first.
    var topLogits: [[Double]]
    var ids: [Int]
    var text: String
    var finishReason: String
}
