import Foundation
import LanguageModel
import TestSupport
import Testing

@testable import AdapterLoader

/// Every adapter of the regression corpus (`Tests/Fixtures/malformed/adapter/`, each file
/// `adapter_config.json`, a NUL byte, `adapter_model.safetensors`), checked against a tiny base model (one
/// layer, width 32). Each must load and then generate through the base, or be refused with an `AdapterError`
/// naming the folder.
@Suite("Hostile adapters of the regression corpus")
struct MalformedAdapterTests {
    /// The tiny base model, written once.
    static let base: Result<LanguageModel, any Error> = Result {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("rag-malformed-base-\(getpid()).gguf")
        try Data(try SampleFiles.tinyModel()).write(to: url)
        return try LanguageModel(url: url, precision: .float32, threads: 1)
    }

    @Test("the corpus folder is there and not empty")
    func folderExists() {
        #expect(MalformedCorpus.names("adapter").count >= 30)
    }

    @Test(
        "a hostile adapter loads and applies, or throws naming the folder", arguments: MalformedCorpus.names("adapter"))
    func load(_ name: String) throws {
        let model = try Self.base.get()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rag-malformed-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try MalformedCorpus.writeAdapter(try Data(contentsOf: MalformedCorpus.url("adapter", name)), to: folder)
        let adapter: LoRAAdapter
        do {
            adapter = try AdapterLoader.load(directory: folder, base: model.configuration)
        } catch {
            #expect(error.description.contains(folder.path), "\(error)")
            #expect(!name.hasPrefix("valid"), "\(error)")
            return
        }
        for (layer, updates) in adapter.updates {
            #expect((0..<model.configuration.layerCount).contains(layer))
            #expect(updates.values.allSatisfy { $0.scale.isFinite })
        }
        #expect(throws: Never.self) {
            _ = try model.generate(
                promptTokens: [259, 84], options: GenerationOptions(maxTokens: 2, adapters: [ActiveAdapter(adapter)])
            ) { _ in }
        }
    }

    // MARK: - Findings

    func error(loading name: String) throws -> String {
        let model = try Self.base.get()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rag-malformed-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try MalformedCorpus.writeAdapter(try Data(contentsOf: MalformedCorpus.url("adapter", name)), to: folder)
        do {
            _ = try AdapterLoader.load(directory: folder, base: model.configuration)
            return "no error"
        } catch {
            return error.description
        }
    }

    /// These loaded with an infinite float scale, which turns every adapted output into infinity or NaN.
    @Test(
        "an alpha past float's range is refused naming the field",
        arguments: [
            ("alpha-1e300", "'lora_alpha'"), ("alpha-1e999", "'lora_alpha'"),
            ("alpha-pattern-1e300", "'alpha_pattern'"),
            ("alpha-pattern-1e999", "'alpha_pattern'"),
        ])
    func alphaRange(_ name: String, _ field: String) throws {
        let message = try error(loading: name)
        #expect(message.contains("adapter_config.json") && message.contains(field), "\(message)")
    }

    /// `layers.-1` was read as layer -1, kept, and never applied.
    @Test("a layer number that is not digits is refused naming the tensor")
    func negativeLayer() throws {
        let message = try error(loading: "layer-negative")
        #expect(
            message.contains("layers.-1.self_attn") && message.contains("layer '-1' is not a layer number"),
            "\(message)")
    }
}

/// Swift's `Regex` backtracks without a step limit: `(.*)*(.*)*(.*)*x` as a rank_pattern key took over two
/// minutes against one module name, so such patterns are refused before they are matched.
@Suite("Adapter patterns that could backtrack without bound")
struct MalformedAdapterPatternTests {
    @Test(
        "module names and a few wildcards are accepted",
        arguments: [
            "q_proj", "model.layers.0.self_attn.q_proj", ".*v_proj", ".*\\.layers\\.[0-9]+\\.self_attn\\.(q|k)_proj",
            "model\\.layers\\.(1|2|3)\\.mlp\\.down_proj", "(?:q|v)_proj", "layers\\.[0-9]{1,2}\\..*", "x{3}y?",
            "[(*]+_proj",
        ])
    func accepted(_ pattern: String) {
        #expect(AdapterConfiguration.backtrackingHazard(in: pattern) == nil)
    }

    @Test(
        "a repeated repetition or alternation, or many unbounded repetitions, is refused",
        arguments: ["(.*)*x", "((.*)*)*y", "(a|.)*x", "(a+)+$", "(.*a){20}", "(x*){2,}", ".*.*.*.*x", "(?:a|b)+"])
    func refused(_ pattern: String) {
        #expect(AdapterConfiguration.backtrackingHazard(in: pattern) != nil)
    }

    @Test(
        "hazardous keys and target_modules are refused naming the field",
        arguments: [
            ("rank-pattern-backtracking", "'rank_pattern'"), ("alpha-pattern-backtracking", "'alpha_pattern'"),
            ("rank-pattern-alternation-repeated", "'rank_pattern'"), ("rank-pattern-many-wildcards", "'rank_pattern'"),
            ("target-modules-backtracking-regex", "'target_modules'"), ("rank-pattern-bad-regex", "'rank_pattern'"),
        ])
    func refusedFiles(_ name: String, _ field: String) throws {
        let message = try MalformedAdapterTests().error(loading: name)
        #expect(message.contains("adapter_config.json") && message.contains(field), "\(message)")
    }

    @Test("PEFT-style pattern keys load and apply")
    func peftStyle() throws {
        #expect(try MalformedAdapterTests().error(loading: "rank-pattern-peft-style") == "no error")
    }
}
