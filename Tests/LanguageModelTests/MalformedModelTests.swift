import Foundation
import Kernels
import LanguageModel
import TestSupport
import Testing

/// Every model file of the regression corpus (`Tests/Fixtures/malformed/gguf-model/`): a tiny llama with one
/// thing wrong each (a context of 2^40 positions, a head count that does not divide, a transposed tensor...).
/// Each must load and generate, or be refused with a `LanguageModelError` that names the file, in both
/// precisions; never crash, never try to allocate what a header count claims.
@Suite("Hostile model files of the regression corpus")
struct MalformedModelTests {
    @Test("the corpus folder is there and not empty")
    func folderExists() {
        #expect(MalformedCorpus.names("gguf-model").count >= 25)
    }

    @Test(
        "a hostile model file loads and generates, or throws naming the file",
        arguments: MalformedCorpus.names("gguf-model"), [ActivationPrecision.float32, .int8])
    func load(_ name: String, precision: ActivationPrecision) {
        let url = MalformedCorpus.url("gguf-model", name)
        let model: LanguageModel
        do {
            model = try LanguageModel(url: url, precision: precision, threads: 1)
        } catch {
            #expect(error.description.contains(url.path), "\(error)")
            #expect(!name.hasPrefix("valid"), "\(error)")
            return
        }
        let prompt = model.encode("a ab")
        #expect(throws: Never.self) {
            _ = try model.generate(promptTokens: prompt, options: GenerationOptions(maxTokens: 2)) { _ in }
        }
    }

    // MARK: - Findings

    func error(loading name: String) -> String {
        do {
            _ = try LanguageModel(url: MalformedCorpus.url("gguf-model", name), precision: .float32, threads: 1)
            return "no error"
        } catch {
            return error.description
        }
    }

    /// Once "failed to allocate 17592186044416 bytes": the RoPE table had a row per position of the context.
    @Test("a context of 2^40 positions loads and generates: nothing is sized by it")
    func hugeContext() throws {
        let model = try LanguageModel(
            url: MalformedCorpus.url("gguf-model", "context-length-2^40.gguf"), precision: .float32, threads: 1)
        #expect(model.configuration.contextLength == 1 << 40)
        let summary = try model.generate(promptTokens: model.encode("a ab"), options: GenerationOptions(maxTokens: 2)) {
            _ in
        }
        #expect(summary.generatedTokens >= 1)
    }

    /// Once an arithmetic-overflow trap in `LlamaConfiguration.queryWidth`.
    @Test("head counts times a head size past 64 bits are refused naming the key")
    func widthOverflow() {
        let message = error(loading: "heads-times-key-length-overflow.gguf")
        #expect(message.contains("heads-times-key-length-overflow.gguf"), "\(message)")
        #expect(message.contains("llama.attention.head_count") && message.contains("overflows"), "\(message)")
    }

    /// Once "model: metadata 'rope' rope base must be above 1": no file, no key.
    @Test("a RoPE base of 0.5 is refused naming the file and the key")
    func ropeBase() {
        let message = error(loading: "rope-base-half.gguf")
        #expect(message.contains("rope-base-half.gguf") && message.contains("llama.rope.freq_base"), "\(message)")
    }
}
