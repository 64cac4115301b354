import Foundation
import ModelFiles
import Testing

@testable import LanguageModel

@Suite("What a loaded model keeps in memory")
struct ResidentMemoryTests {
    @Test("the weights keep the file's mapping, not the file with its parsed metadata", arguments: [false, true])
    func weightsKeepTheMapping(interleave: Bool) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "rag-weights-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("tiny.gguf")
        try TinyModelFile(architecture: "llama", tiedOutput: false, seed: 5).write(to: url)

        weak var released: GGUFFile?
        let weights: LlamaWeights
        var before = [Float](repeating: 0, count: 64)
        do {
            let file = try GGUFFile(url: url)
            released = file
            weights = try LlamaWeights(
                file: file, configuration: try LlamaConfiguration(file: file), interleave: interleave)
            before.withUnsafeMutableBufferPointer { weights.tokenEmbedding.dequantizeRow(3, into: $0.baseAddress!) }
        }
        #expect(released == nil)
        // The matrices that point into the mapping still read the same values.
        var after = [Float](repeating: 0, count: 64)
        after.withUnsafeMutableBufferPointer { weights.tokenEmbedding.dequantizeRow(3, into: $0.baseAddress!) }
        #expect(after == before && before.contains { $0 != 0 })
    }

    @Test("scratch blocks, mapped or from malloc, are aligned and writable", arguments: [100, 1 << 20])
    func scratchBlocks(byteCount: Int) {
        let block = ScratchBlock(byteCount: byteCount)
        #expect(Int(bitPattern: block.floats) % 64 == 0)
        let count = byteCount / 4
        block.floats.update(repeating: 1.5, count: count)
        #expect(block.floats[0] == 1.5 && block.floats[count - 1] == 1.5)
    }
}
