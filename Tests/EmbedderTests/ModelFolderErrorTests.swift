import Embedder
import Foundation
import TestSupport
import Testing

@Suite("Model folder errors")
struct ModelFolderErrorTests {
    func temporaryCopy(of source: URL, without excluded: Set<String> = [], edit: [String: String] = [:]) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rag-embedder-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for name in try FileManager.default.contentsOfDirectory(atPath: source.path) where !excluded.contains(name) {
            let from = source.appendingPathComponent(name)
            let to = folder.appendingPathComponent(name)
            if let replacement = edit[name] {
                try Data(replacement.utf8).write(to: to)
            } else {
                // Links keep the copy cheap: the weights are 90 MB.
                try FileManager.default.createSymbolicLink(at: to, withDestinationURL: from)
            }
        }
        return folder
    }

    /// Loads a copy of the default model whose config.json has `original` replaced by
    /// `replacement`, and checks that loading fails with a message containing every one of `mentions`.
    func expectConfigRefused(replacing original: String, with replacement: String, mentions: [String]) throws {
        let source = try TestResources.requireMiniLM()
        let config = try String(contentsOf: source.appendingPathComponent("config.json"), encoding: .utf8)
        #expect(config.contains(original), "the default config.json no longer contains \(original)")
        let edited = config.replacingOccurrences(of: original, with: replacement)
        let folder = try temporaryCopy(of: source, edit: ["config.json": edited])
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect {
            _ = try SentenceEmbedder(folder: folder)
        } throws: { error in
            let message = String(describing: error)
            return mentions.allSatisfy { message.contains($0) }
        }
    }

    @Test("a missing model folder names the path and says to run make models")
    func missingFolder() {
        let path = "/nonexistent/rag-model"
        #expect {
            _ = try SentenceEmbedder(folder: URL(fileURLWithPath: path))
        } throws: { error in
            let message = String(describing: error)
            return message.contains(path) && message.contains("make models")
        }
    }

    @Test("a folder without weights names the missing file")
    func missingWeights() throws {
        let folder = try temporaryCopy(of: try TestResources.requireMiniLM(), without: ["model.safetensors"])
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect {
            _ = try SentenceEmbedder(folder: folder)
        } throws: { error in
            String(describing: error).contains("model.safetensors")
        }
    }

    @Test("an unsupported activation is refused, naming the field")
    func unsupportedActivation() throws {
        try expectConfigRefused(
            replacing: "\"hidden_act\": \"gelu\"", with: "\"hidden_act\": \"relu\"", mentions: ["hidden_act", "relu"])
    }

    @Test("weights whose shapes disagree with config.json are refused, naming the tensor")
    func mismatchedShapes() throws {
        try expectConfigRefused(
            replacing: "\"intermediate_size\": 1536", with: "\"intermediate_size\": 1024",
            mentions: ["intermediate.dense.weight"])
    }

    @Test("a truncated weights file is an error, not a crash")
    func truncatedWeights() throws {
        let source = try TestResources.requireMiniLM()
        let weights = try Data(contentsOf: source.appendingPathComponent("model.safetensors"))
        let folder = try temporaryCopy(of: source, without: ["model.safetensors"])
        defer { try? FileManager.default.removeItem(at: folder) }
        try weights.prefix(weights.count / 2).write(to: folder.appendingPathComponent("model.safetensors"))
        #expect {
            _ = try SentenceEmbedder(folder: folder)
        } throws: { error in
            String(describing: error).contains("model.safetensors")
        }
    }

    @Test("a field of the wrong JSON type is refused, naming the field and what was found")
    func wrongFieldType() throws {
        try expectConfigRefused(
            replacing: "\"num_attention_heads\": 12", with: "\"num_attention_heads\": 12.5",
            mentions: ["num_attention_heads", "12.5"])
    }

    @Test("a configuration file that is not JSON is refused, naming the file")
    func invalidJSON() throws {
        let source = try TestResources.requireMiniLM()
        let folder = try temporaryCopy(of: source, edit: ["modules.json": "[{\"type\": "])
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect {
            _ = try SentenceEmbedder(folder: folder)
        } throws: { error in
            String(describing: error).contains("modules.json is not valid JSON")
        }
    }
}
