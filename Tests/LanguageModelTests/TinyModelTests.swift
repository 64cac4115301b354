import Foundation
import Testing
import Tokenizers

@testable import LanguageModel

@Suite("Small llama and qwen2 models written as GGUF files")
struct TinyModelTests {
    @Test(
        "float32 logits equal a scalar reference: qwen2 (biases, half-split RoPE, untied) and llama (tied)",
        arguments: [("qwen2", false), ("llama", true)])
    func matchesReference(architecture: String, tied: Bool) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rag-tiny-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let tiny = TinyModelFile(architecture: architecture, tiedOutput: tied, seed: 3)
        let url = directory.appendingPathComponent("\(architecture).gguf")
        try tiny.write(to: url)

        let model = try LanguageModel(url: url, precision: .float32)
        #expect(model.configuration.ropeLayout == (architecture == "qwen2" ? .neox : .normal))
        #expect(model.configuration.hasAttentionBiases == (architecture == "qwen2"))
        let prompt = model.encode("<|im_start|>the robot\n")
        #expect(prompt.first == 257 && prompt.count == 11)
        for length in [1, 5, prompt.count] {
            let tokens = Array(prompt.prefix(length))
            let logits = try model.makeSession(capacity: length).prefill(tokens)
            let reference = tiny.referenceLogits(tokens)
            let worst = zip(logits, reference).map { abs(Double($0) - $1) }.max() ?? 1
            #expect(worst < 1e-3, "\(architecture), \(length) tokens: max |Δ| \(worst)")
        }
        // The chat template and a short greedy generation work end to end.
        let chat = try model.renderChat([ChatMessage(role: "user", content: "hi")])
        #expect(chat == "<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\n")
        var text = ""
        let summary = try model.generate(
            promptTokens: model.encode(chat), options: GenerationOptions(maxTokens: 5), emit: { text += $0 })
        #expect(summary.generatedTokens >= 1 && summary.generatedTokens <= 5)
    }
}
