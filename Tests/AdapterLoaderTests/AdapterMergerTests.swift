import AdapterLoader
import Foundation
import LanguageModel
import ModelFiles
import TestSupport
import Testing

@Suite("Merging adapters into a GGUF file")
struct AdapterMergerTests {
    @Test("the merged model loads and gives the unmerged adapter's top-1 on every reference prompt")
    func mergedTopOne() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rag-merge-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let baseURL = try TestResources.requireSmolLM()
        let base = try LanguageModel(url: baseURL, precision: .float32)
        for name in ["aurora-qv", "aurora-all"] {
            let adapter = try AdapterLoader.load(
                directory: TestResources.fixtures.appendingPathComponent("adapters/\(name)"), base: base.configuration)
            let output = directory.appendingPathComponent("\(name).gguf")
            let report = try AdapterMerger.merge(base: baseURL, adapters: [ActiveAdapter(adapter)], output: output)
            #expect(report.mergedTensors == (name == "aurora-qv" ? 60 : 210) && report.copiedTensors > 0)
            // Metadata is copied; touched tensors are Q8_0 now.
            let file = try GGUFFile(url: output)
            #expect(try file.string("general.architecture") == "llama")
            #expect(file.tensors["blk.0.attn_q.weight"]?.type == .q8Zero)
            #expect(file.tensors["blk.0.attn_norm.weight"]?.type == .f32)

            let merged = try LanguageModel(url: output, precision: .float32)
            for prompt in try AdapterReference.load(name) {
                let unmerged = try base.makeSession(capacity: prompt.ids.count, adapters: [ActiveAdapter(adapter)])
                    .prefill(prompt.ids)
                let folded = try merged.makeSession(capacity: prompt.ids.count).prefill(prompt.ids)
                #expect(topIDs(folded, 1) == topIDs(unmerged, 1), "\(name)/\(prompt.name)")
                #expect(topIDs(folded, 1)[0] == prompt.top20Adapted[0], "\(name)/\(prompt.name): PEFT's top-1")
            }
        }
    }

    @Test("an unwritable output is an error and leaves no partial file")
    func unwritable() throws {
        let adapter = try AdapterLoader.load(
            directory: TestResources.fixtures.appendingPathComponent("adapters/aurora-qv"),
            base: try LanguageModel(url: try TestResources.requireSmolLM()).configuration)
        let output = URL(fileURLWithPath: "/no/such/folder/merged.gguf")
        #expect(throws: (any Error).self) {
            try AdapterMerger.merge(
                base: try TestResources.requireSmolLM(), adapters: [ActiveAdapter(adapter)], output: output)
        }
        #expect(!FileManager.default.fileExists(atPath: output.path))
    }
}
