import AdapterLoader
import Foundation
import LanguageModel
import TestSupport
import Testing

@Suite("Adapter folders that cannot be applied")
struct AdapterErrorTests {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rag-adapter-\(UUID().uuidString)")
    static let fixture = TestResources.fixtures.appendingPathComponent("adapters/aurora-qv")

    /// SmolLM2's configuration, read from the real model file.
    func base() throws -> LlamaConfiguration {
        try LanguageModel(url: try TestResources.requireSmolLM()).configuration
    }

    /// A copy of aurora-qv with its config edited by `edit` (a JSON object transform).
    func copy(editing edit: (inout [String: Any]) -> Void = { _ in }) throws -> URL {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            at: Self.fixture.appendingPathComponent("adapter_model.safetensors"),
            to: directory.appendingPathComponent("adapter_model.safetensors"))
        var config = try #require(
            try JSONSerialization.jsonObject(
                with: Data(contentsOf: Self.fixture.appendingPathComponent("adapter_config.json"))) as? [String: Any])
        edit(&config)
        try JSONSerialization.data(withJSONObject: config).write(
            to: directory.appendingPathComponent("adapter_config.json"))
        return directory
    }

    func message(_ body: () throws -> Void) -> String {
        do {
            try body()
            return "no error"
        } catch {
            return String(describing: error)
        }
    }

    @Test("missing files and malformed JSON name the file")
    func files() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let base = try base()
        #expect(
            message { _ = try AdapterLoader.load(directory: directory, base: base) }.contains("adapter_config.json"))
        let folder = try copy()
        try Data("{\"r\": 8,".utf8).write(to: folder.appendingPathComponent("adapter_config.json"))
        #expect(message { _ = try AdapterLoader.load(directory: folder, base: base) }.contains("not valid JSON"))
        try FileManager.default.removeItem(at: folder.appendingPathComponent("adapter_model.safetensors"))
        try Data(contentsOf: Self.fixture.appendingPathComponent("adapter_config.json"))
            .write(to: folder.appendingPathComponent("adapter_config.json"))
        #expect(
            message { _ = try AdapterLoader.load(directory: folder, base: base) }.contains(
                "adapter_model.safetensors is missing"))
    }

    @Test(
        "options that cannot be applied exactly are refused, naming the field",
        arguments: [
            ("use_dora", "true"), ("modules_to_save", "[\"lm_head\"]"), ("bias", "\"all\""),
            ("peft_type", "\"IA3\""), ("layer_replication", "[[0, 4]]"),
        ])
    func refusals(field: String, json: String) throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let value = try JSONSerialization.jsonObject(with: Data(json.utf8), options: .fragmentsAllowed)
        let folder = try copy { $0[field] = value }
        let text = message { _ = try AdapterLoader.load(directory: folder, base: try base()) }
        #expect(text.contains("'\(field)'"), "\(text)")
    }

    @Test("a rank that disagrees with the tensors, or another base model's shapes, is a shape error")
    func shapes() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let folder = try copy { $0["r"] = 16 }
        let text = message { _ = try AdapterLoader.load(directory: folder, base: try base()) }
        #expect(text.contains("has shape [8, 576]") && text.contains("[16, 576]"), "\(text)")
        var other = try base()
        other.width = 896
        let wider = message { _ = try AdapterLoader.load(directory: Self.fixture, base: other) }
        #expect(wider.contains("another base model"), "\(wider)")
    }

    @Test("NaN weights are refused, naming the tensor")
    func nonFinite() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let folder = try copy()
        // Overwrite the first float of the data section (the first tensor's first value) with NaN.
        let url = folder.appendingPathComponent("adapter_model.safetensors")
        var bytes = try Data(contentsOf: url)
        let headerLength = Int(bytes.prefix(8).withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) })
        bytes.replaceSubrange((8 + headerLength)..<(12 + headerLength), with: [0x00, 0x00, 0xC0, 0x7F])
        try bytes.write(to: url)
        let text = message { _ = try AdapterLoader.load(directory: folder, base: try base()) }
        #expect(text.contains("NaN or infinite"), "\(text)")
    }

    @Test("rank_pattern and alpha_pattern apply to the modules they name, as in PEFT")
    func patterns() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let folder = try copy { $0["alpha_pattern"] = ["v_proj": 8.0, "layers.3.self_attn.q_proj": 16.0] }
        let adapter = try AdapterLoader.load(directory: folder, base: try base())
        #expect(adapter.updates[0]?[.value]?.scale == 1)  // 8 / 8
        #expect(adapter.updates[3]?[.query]?.scale == 2)  // 16 / 8
        #expect(adapter.updates[4]?[.query]?.scale == 4)  // 32 / 8
        let configuration = try AdapterConfiguration(
            contentsOf: Self.fixture.appendingPathComponent("adapter_config.json"))
        #expect(configuration.targets("model.layers.0.self_attn.q_proj"))
        #expect(!configuration.targets("model.layers.0.self_attn.k_proj"))
    }
}
