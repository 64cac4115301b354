import Foundation
import Testing

@testable import ModelFiles

/// The default generator, SmolLM2-135M-Instruct Q4_1, checked against gguf-py's reading of the same file
/// (`smollm2/dequant.json`).
@Suite("GGUFFile on SmolLM2-135M-Instruct")
struct GGUFRealModelTests {
    static let modelPath = "SmolLM2-135M-Instruct/SmolLM2-135M-Instruct.Q4_1.gguf"

    func model() throws -> GGUFFile {
        let url = modelsDirectory().appendingPathComponent(Self.modelPath)
        try #require(
            FileManager.default.fileExists(atPath: url.path),
            "\(url.path) is missing: run `make models`, or set RAG_MODELS to the models folder")
        return try GGUFFile(url: url)
    }

    /// One tensor of `dequant.json`.
    struct Reference: Decodable {
        var name: String
        var type: String
        var dimensions: [Int]
        var offset: Int
        var byteCount: Int
        var firstBlockHex: String

        enum CodingKeys: String, CodingKey {
            case name, type
            case dimensions = "gguf_shape_ne"
            case offset = "data_offset_in_file"
            case byteCount = "n_bytes"
            case firstBlockHex = "first_block_hex"
        }
    }

    struct Dequant: Decodable {
        var tensors: [Reference]
    }

    @Test("is a llama model with 30 blocks and 272 tensors: 210 Q4_1, 1 Q8_0, 61 F32")
    func readsStructure() throws {
        let file = try model()
        #expect(file.version == 3)
        #expect(try file.string("general.architecture") == "llama")
        #expect(try file.int("llama.block_count") == 30)
        #expect(try file.int("llama.embedding_length") == 576)
        #expect(try file.float("llama.rope.freq_base") == 100_000)
        #expect(Float(try file.float("llama.attention.layer_norm_rms_epsilon")) == 9.99999975e-06)
        #expect(file.tensors.count == 272 && file.tensorNames.count == 272)
        var counts: [GGUFTensorType: Int] = [:]
        for info in file.tensors.values { counts[info.type, default: 0] += 1 }
        #expect(counts == [.q4One: 210, .q8Zero: 1, .f32: 61])
        #expect(file.tensorNames.first == "token_embd.weight")
        #expect(try file.info("token_embd.weight").offset == file.dataOffset)
    }

    @Test("has the tokenizer metadata: 49,152 tokens and types, 48,900 merges, ChatML template")
    func readsTokenizerMetadata() throws {
        let file = try model()
        #expect(try file.string("tokenizer.ggml.model") == "gpt2")
        #expect(try file.string("tokenizer.ggml.pre") == "smollm")
        let tokens = try file.stringArray("tokenizer.ggml.tokens")
        #expect(tokens.count == 49152 && tokens[0] == "<|endoftext|>" && tokens[1] == "<|im_start|>")
        #expect(try file.intArray("tokenizer.ggml.token_type").count == 49152)
        let merges = try file.stringArray("tokenizer.ggml.merges")
        #expect(merges.count == 48900 && merges[0] == "Ġ t")
        #expect(try file.bool("tokenizer.ggml.add_bos_token") == false)
        #expect(try file.string("tokenizer.chat_template").contains("<|im_start|>"))
    }

    @Test("places every tensor where gguf-py does, with the same size and first block")
    func matchesGGUFPy() throws {
        let file = try model()
        let data = try Data(contentsOf: fixturesDirectory().appendingPathComponent("smollm2/dequant.json"))
        let references = try JSONDecoder().decode(Dequant.self, from: data).tensors
        #expect(references.count == 8)
        for reference in references {
            let info = try file.info(reference.name)
            #expect(info.type.name == reference.type, "\(reference.name)")
            #expect(info.dimensions == reference.dimensions, "\(reference.name)")
            // dequant.json's "data_offset_in_file" is absolute: output_norm.weight ends exactly at the file's end.
            #expect(info.offset == reference.offset, "\(reference.name)")
            #expect(info.byteCount == reference.byteCount, "\(reference.name)")
            let blockBytes = reference.firstBlockHex.count / 2
            let first = try file.withRawBytes(reference.name) { raw in
                raw.prefix(blockBytes).map { String(format: "%02x", $0) }.joined()
            }
            #expect(first == reference.firstBlockHex, "\(reference.name)")
        }
        let last = try file.info("output_norm.weight")
        #expect(
            last.byteRange?.upperBound == (try FileManager.default.attributesOfItem(atPath: file.path)[.size] as? Int))
    }
}
