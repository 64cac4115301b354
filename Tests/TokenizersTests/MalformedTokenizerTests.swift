import Foundation
import ModelFiles
import TestSupport
import Testing
import Tokenizers

/// Every tokenizer file of the regression corpus: `tokenizer.json` files for WordPiece
/// (`Tests/Fixtures/malformed/tokenizer-json/`) and GGUF files holding only `tokenizer.ggml.*`
/// (`tokenizer-gguf/`). Each must build a tokenizer whose ids all lie in its vocabulary, or be refused with a
/// typed error naming the file.
@Suite("Hostile tokenizer files of the regression corpus")
struct MalformedTokenizerTests {
    static let texts = ["The quick brown fox", "[CLS] the [SEP]", "<|im_start|>a ab<|im_end|>", "中文 é 🙂", ""]

    @Test("the corpus folders are there and not empty")
    func foldersExist() {
        #expect(MalformedCorpus.names("tokenizer-json").count >= 25)
        #expect(MalformedCorpus.names("tokenizer-gguf").count >= 15)
    }

    @Test(
        "a hostile tokenizer.json builds a tokenizer whose ids are all in its vocabulary, or throws naming the file",
        arguments: MalformedCorpus.names("tokenizer-json"))
    func wordPiece(_ name: String) {
        let url = MalformedCorpus.url("tokenizer-json", name)
        let tokenizer: WordPieceTokenizer
        do {
            tokenizer = try WordPieceTokenizer(tokenizerJSON: url)
        } catch {
            #expect(error.description.contains(url.path), "\(error)")
            #expect(!name.hasPrefix("valid"), "\(error)")
            return
        }
        for text in Self.texts {
            let ids = tokenizer.encode(text, maxLength: 32)
            #expect(ids.allSatisfy { tokenizer.token(for: $0) != nil }, "\(text): \(ids)")
        }
    }

    @Test(
        "hostile tokenizer.ggml metadata builds a tokenizer whose ids are all in its vocabulary, or throws naming the file",
        arguments: MalformedCorpus.names("tokenizer-gguf"))
    func bytePair(_ name: String) throws {
        let url = MalformedCorpus.url("tokenizer-gguf", name)
        let file = try GGUFFile(url: url)
        let tokenizer: BytePairTokenizer
        do {
            tokenizer = try BytePairTokenizer(configuration: try BytePairConfiguration(metadata: file))
        } catch {
            #expect(String(describing: error).contains(url.path), "\(error)")
            #expect(!name.hasPrefix("valid"), "\(error)")
            return
        }
        for text in Self.texts {
            let ids = tokenizer.encode(text, addSpecialTokens: true)
            #expect(ids.allSatisfy { (0..<tokenizer.vocabularySize).contains($0) }, "\(text): \(ids)")
            _ = tokenizer.decode(ids)
        }
    }

    // MARK: - Findings

    func error(building name: String) -> String {
        do {
            _ = try WordPieceTokenizer(tokenizerJSON: MalformedCorpus.url("tokenizer-json", name))
            return "no error"
        } catch {
            return error.description
        }
    }

    /// The embedder indexes its embedding matrix with every id: these once read outside it.
    @Test(
        "special token ids the post-processor states outside the vocabulary are refused naming them",
        arguments: [
            ("cls-id-past-vocabulary.json", "[CLS] the id 999999"), ("sep-id-negative.json", "[SEP] the id -3"),
            ("template-ids-past-vocabulary.json", "[CLS] the id 70000"), ("ids-shared.json", "[CLS] the id 2"),
        ])
    func statedIDs(_ name: String, _ expected: String) {
        let message = error(building: name)
        #expect(message.contains(name) && message.contains(expected), "\(message)")
    }

    /// Once a 16,777,216-entry id table (256 MB) built for a 250-byte file.
    @Test("a vocabulary id past the file's size is refused before the id table is sized by it")
    func idPastFileSize() {
        let message = error(building: "id-16777215.json")
        #expect(message.contains("id-16777215.json") && message.contains("ids are dense"), "\(message)")
    }
}
