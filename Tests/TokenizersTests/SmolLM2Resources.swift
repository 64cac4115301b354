import Foundation
import ModelFiles
import Testing
import Tokenizers

/// The one line that joins the two modules: `GGUFFile` already has every accessor the tokenizer asks for.
extension GGUFFile: GGUFTokenizerMetadata {}

/// The SmolLM2-135M-Instruct GGUF (`$RAG_MODELS`, else `models/` in the checkout) and the llama.cpp reference
/// ids of `smollm2/tokenizer.json`.
enum SmolLM2 {
    static let modelPath = "SmolLM2-135M-Instruct/SmolLM2-135M-Instruct.Q4_1.gguf"

    static let modelURL = TestResources.modelsFolder.appendingPathComponent(modelPath)

    /// The model file, opened once for all tests.
    static func file(sourceLocation: SourceLocation = #_sourceLocation) throws -> GGUFFile {
        try #require(
            FileManager.default.fileExists(atPath: modelURL.path),
            "\(modelURL.path) is missing: run `make models`, or set RAG_MODELS to the models folder",
            sourceLocation: sourceLocation)
        return try sharedFile.get()
    }

    /// The tokenizer built from the file's metadata, once for all tests.
    static func tokenizer(sourceLocation: SourceLocation = #_sourceLocation) throws -> BytePairTokenizer {
        _ = try file(sourceLocation: sourceLocation)
        return try sharedTokenizer.get()
    }

    private static let sharedFile = Result { () throws(ModelFileError) -> GGUFFile in try GGUFFile(url: modelURL) }
    private static let sharedTokenizer = Result { () throws -> BytePairTokenizer in
        try BytePairTokenizer(configuration: BytePairConfiguration(metadata: sharedFile.get()))
    }

    struct Reference: Decodable {
        struct Text: Decodable {
            var text: String
            var ids: [Int]
            var agree: Bool
        }
        struct Chat: Decodable {
            var messages: [ChatMessage]
            var addGenerationPrompt: Bool
            var rendered: String
            var ids: [Int]

            enum CodingKeys: String, CodingKey {
                case messages, rendered, ids
                case addGenerationPrompt = "add_generation_prompt"
            }
        }
        var strings: [Text]
        var chats: [String: Chat]
    }

    static func reference(sourceLocation: SourceLocation = #_sourceLocation) throws -> Reference {
        let url = TestResources.fixturesFolder.appendingPathComponent("smollm2/tokenizer.json")
        try #require(
            FileManager.default.fileExists(atPath: url.path),
            "the reference fixtures are missing at \(url.path): set RAG_FIXTURES to the fixtures folder",
            sourceLocation: sourceLocation)
        return try JSONDecoder().decode(Reference.self, from: Data(contentsOf: url))
    }
}
