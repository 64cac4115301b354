import Foundation
import Testing

@testable import Tokenizers

/// Where the tests find the default model and the reference fixtures, and a tiny tokenizer.
///
/// Paths start from this file (`Tests/TokenizersTests/`), two folders below the repository root:
/// the models are in `models/` (installed by `make models`) unless `RAG_MODELS` names another
/// folder, the fixtures are `../shared/fixtures` beside the repository unless `RAG_FIXTURES` names
/// another folder. A missing model or fixture file fails the test with what to do; it is never
/// skipped.
enum TestResources {
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()
        .deletingLastPathComponent()
        .deletingLastPathComponent()

    static var modelsFolder: URL {
        if let folder = ProcessInfo.processInfo.environment["RAG_MODELS"], !folder.isEmpty {
            return URL(fileURLWithPath: folder)
        }
        return repositoryRoot.appendingPathComponent("models")
    }

    static let modelFolder = modelsFolder.appendingPathComponent("all-MiniLM-L6-v2")

    static var fixturesFolder: URL {
        if let folder = ProcessInfo.processInfo.environment["RAG_FIXTURES"], !folder.isEmpty {
            return URL(fileURLWithPath: folder)
        }
        return repositoryRoot.appendingPathComponent("../shared/fixtures").standardizedFileURL
    }

    /// The all-MiniLM-L6-v2 tokenizer, loaded once for all tests.
    static func miniLM(sourceLocation: SourceLocation = #_sourceLocation) throws -> WordPieceTokenizer {
        try #require(
            FileManager.default.fileExists(atPath: modelFolder.appendingPathComponent("tokenizer.json").path),
            "the default model is missing at \(modelFolder.path): run `make models`",
            sourceLocation: sourceLocation)
        return try sharedMiniLM.get()
    }

    private static let sharedMiniLM = Result { () throws(TokenizerError) -> WordPieceTokenizer in
        try WordPieceTokenizer(folder: modelFolder)
    }

    /// One text of `minilm/embeddings.json`, as sentence-transformers tokenised it.
    struct MiniLMFixture: Decodable {
        var text: String
        var inputIDs: [Int]
        var tokens: [String]
        var untruncatedCount: Int
        var truncated: Bool

        enum CodingKeys: String, CodingKey {
            case text, tokens, truncated
            case inputIDs = "input_ids"
            case untruncatedCount = "n_tokens_untruncated"
        }
    }

    static func miniLMFixtures(sourceLocation: SourceLocation = #_sourceLocation) throws -> [MiniLMFixture] {
        let file = fixturesFolder.appendingPathComponent("minilm/embeddings.json")
        try #require(
            FileManager.default.fileExists(atPath: file.path),
            "the reference fixtures are missing at \(file.path): set RAG_FIXTURES to the fixtures folder",
            sourceLocation: sourceLocation)
        return try JSONDecoder().decode([MiniLMFixture].self, from: Data(contentsOf: file))
    }

    /// A fresh temporary folder for files a test writes.
    static func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("TokenizersTests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    /// Writes `contents` to `name` in a fresh temporary folder and returns the file.
    static func write(_ contents: String, named name: String) throws -> URL {
        let file = try temporaryFolder().appendingPathComponent(name)
        try contents.write(to: file, atomically: true, encoding: .utf8)
        return file
    }

    /// The vocabulary of `tinyTokenizerJSON`; the line number is the id.
    static let tinyVocabulary = [
        "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "hello", "world", "un", "##aff", "##able", "a", "##b",
        "x", "y", "foo", "bar", "!", "[", "]", "s", "##e", "##p", "cafe", "<", "##x", "##y", ">", "##ে", "q",
        "##u", "e", "##f", "##o", "o", "f", "c",
    ]

    /// A small BERT tokenizer.json with added tokens of every kind, and `max_length 4` /
    /// `Fixed 8` padding baked in (both must be ignored). The expected ids in the tests were
    /// produced by HF `tokenizers` 0.23.3 from exactly this file.
    static func tinyTokenizerJSON(
        modelType: String = "WordPiece", postProcessor: String? = nil, vocabulary: [String] = tinyVocabulary
    ) -> String {
        let vocab = vocabulary.enumerated().map { "\"\($0.element)\": \($0.offset)" }.joined(separator: ", ")
        let template = """
            {"type": "TemplateProcessing", \
            "single": [{"SpecialToken": {"id": "[CLS]", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}}, \
            {"SpecialToken": {"id": "[SEP]", "type_id": 0}}], "pair": [], \
            "special_tokens": {"[CLS]": {"id": "[CLS]", "ids": [2], "tokens": ["[CLS]"]}, \
            "[SEP]": {"id": "[SEP]", "ids": [3], "tokens": ["[SEP]"]}}}
            """
        return """
            {"version": "1.0",
             "truncation": {"direction": "Right", "max_length": 4, "strategy": "LongestFirst", "stride": 0},
             "padding": {"strategy": {"Fixed": 8}, "direction": "Right", "pad_to_multiple_of": null, "pad_id": 0,
                         "pad_type_id": 0, "pad_token": "[PAD]"},
             "added_tokens": [
              {"id": 0, "content": "[PAD]", "single_word": false, "lstrip": false, "rstrip": false, "normalized": false, "special": true},
              {"id": 1, "content": "[UNK]", "single_word": false, "lstrip": false, "rstrip": false, "normalized": false, "special": true},
              {"id": 2, "content": "[CLS]", "single_word": false, "lstrip": false, "rstrip": false, "normalized": false, "special": true},
              {"id": 3, "content": "[SEP]", "single_word": false, "lstrip": false, "rstrip": false, "normalized": false, "special": true},
              {"id": 4, "content": "[MASK]", "single_word": false, "lstrip": true, "rstrip": false, "normalized": false, "special": true},
              {"id": 99, "content": "Foo", "single_word": true, "lstrip": false, "rstrip": false, "normalized": true, "special": false},
              {"id": 99, "content": "<x y>", "single_word": false, "lstrip": false, "rstrip": false, "normalized": false, "special": true}],
             "normalizer": {"type": "BertNormalizer", "clean_text": true, "handle_chinese_chars": true,
                            "strip_accents": null, "lowercase": true},
             "pre_tokenizer": {"type": "BertPreTokenizer"},
             "post_processor": \(postProcessor ?? template),
             "decoder": {"type": "WordPiece", "prefix": "##", "cleanup": true},
             "model": {"type": "\(modelType)", "unk_token": "[UNK]", "continuing_subword_prefix": "##",
                       "max_input_chars_per_word": 100, "vocab": {\(vocab)}}}
            """
    }

    /// The tokenizer of `tinyTokenizerJSON()`.
    static func tiny() throws -> WordPieceTokenizer {
        try WordPieceTokenizer(tokenizerJSON: write(tinyTokenizerJSON(), named: "tokenizer.json"))
    }
}
