import Foundation
import Testing

@testable import Tokenizers

@Suite("TokenizerJSON")
struct TokenizerJSONTests {
    private func load(_ json: String) throws -> WordPieceTokenizer {
        try WordPieceTokenizer(tokenizerJSON: TestResources.write(json, named: "tokenizer.json"))
    }

    /// The error loading `json` throws, or nil when it loads.
    private func loadingError(_ json: String) throws -> TokenizerError? {
        let file = try TestResources.write(json, named: "tokenizer.json")
        do {
            _ = try WordPieceTokenizer(tokenizerJSON: file)
            return nil
        } catch {
            return error
        }
    }

    @Test("ignores the truncation and padding baked into tokenizer.json")
    func ignoresTruncationAndPadding() throws {
        let tokenizer = try TestResources.tiny()
        // The file says max_length 4 and Fixed 8 padding.
        #expect(tokenizer.encode("hello world hello world", maxLength: 256) == [2, 5, 6, 5, 6, 3])
        #expect(tokenizer.encode("hello", maxLength: 256) == [2, 5, 3])
    }

    @Test("reads the special tokens from the template and the vocabulary")
    func specialTokens() throws {
        let tokenizer = try TestResources.tiny()
        #expect(tokenizer.clsID == 2)
        #expect(tokenizer.sepID == 3)
        #expect(tokenizer.padID == 0)
        #expect(tokenizer.unknownID == 1)
    }

    // Expected ids below: HF tokenizers 0.23.3 on exactly `TestResources.tinyTokenizerJSON()`.

    @Test("numbers new added tokens after the vocabulary, as HF does, whatever ids the file says")
    func addedTokenIDs() throws {
        let tokenizer = try TestResources.tiny()
        #expect(tokenizer.vocabularySize == 38)
        #expect(tokenizer.token(for: 36) == "Foo")
        #expect(tokenizer.token(for: 37) == "<x y>")
        #expect(tokenizer.encode("<x y> <X Y>", maxLength: 64) == [2, 37, 23, 12, 13, 26, 3])
    }

    @Test("matches normalized added tokens in the normalised text, single words only")
    func normalizedAddedTokens() throws {
        let tokenizer = try TestResources.tiny()
        #expect(tokenizer.encode("foo Foo xfoo foo!", maxLength: 64) == [2, 36, 36, 12, 31, 32, 32, 36, 16, 3])
    }

    @Test("matches raw added tokens anywhere, case-sensitively")
    func rawAddedTokens() throws {
        let tokenizer = try TestResources.tiny()
        #expect(tokenizer.encode("x[MASK]y", maxLength: 64) == [2, 12, 4, 13, 3])
        #expect(tokenizer.encode("a [SEP] b", maxLength: 64) == [2, 10, 3, 1, 3])
        #expect(tokenizer.encode("[sep]", maxLength: 64) == [2, 17, 19, 20, 21, 18, 3])
    }

    @Test("pieces words as HF does")
    func pieces() throws {
        let tokenizer = try TestResources.tiny()
        #expect(tokenizer.encode("unaffable", maxLength: 64) == [2, 7, 8, 9, 3])
        #expect(tokenizer.encode("unaffablez", maxLength: 64) == [2, 1, 3])
        #expect(tokenizer.encode("Café", maxLength: 64) == [2, 22, 3])
        #expect(tokenizer.encode("s\u{9C7}", maxLength: 64) == [2, 19, 27, 3])
    }

    @Test("reads BertProcessing as well as TemplateProcessing")
    func bertProcessing() throws {
        let tokenizer = try load(
            TestResources.tinyTokenizerJSON(
                postProcessor: #"{"type": "BertProcessing", "sep": ["[SEP]", 3], "cls": ["[CLS]", 2]}"#))
        #expect(tokenizer.encode("hello", maxLength: 8) == [2, 5, 3])
    }

    @Test("refuses a BPE model as unsupported, naming the file")
    func bpe() throws {
        let error = try #require(try loadingError(TestResources.tinyTokenizerJSON(modelType: "BPE")))
        guard case .unsupported(let path, let field, let found) = error else {
            Issue.record("expected .unsupported, got \(error)")
            return
        }
        #expect(path.hasSuffix("tokenizer.json"))
        #expect(field == "model.type")
        #expect(found == "BPE")
        #expect(error.description.contains(path))
    }

    @Test("refuses a template other than [CLS] $A [SEP]")
    func otherTemplate() throws {
        let template =
            #"{"type": "TemplateProcessing", "single": [{"Sequence": {"id": "A", "type_id": 0}}], "special_tokens": {}}"#
        let error = try #require(try loadingError(TestResources.tinyTokenizerJSON(postProcessor: template)))
        guard case .unsupported(_, let field, let found) = error else {
            Issue.record("expected .unsupported, got \(error)")
            return
        }
        #expect(field == "post_processor.single")
        #expect(found.hasPrefix("[$A]"))
    }

    @Test("says which special token the vocabulary lacks")
    func missingToken() throws {
        var vocabulary = TestResources.tinyVocabulary
        vocabulary.removeAll { $0 == "[UNK]" }
        let error = try #require(try loadingError(TestResources.tinyTokenizerJSON(vocabulary: vocabulary)))
        guard case .missingToken(let path, let token) = error else {
            Issue.record("expected .missingToken, got \(error)")
            return
        }
        #expect(token == "[UNK]")
        #expect(error.description.contains(path))
    }

    @Test("takes ids and lengths written as whole numbers with a fraction or exponent")
    func wholeNumbers() throws {
        let json = TestResources.tinyTokenizerJSON()
            .replacingOccurrences(of: #""hello": 5,"#, with: #""hello": 5.0,"#)
            .replacingOccurrences(of: #""ids": [3]"#, with: #""ids": [3e0]"#)
            .replacingOccurrences(of: #""max_input_chars_per_word": 100"#, with: #""max_input_chars_per_word": 1e2"#)
        let tokenizer = try load(json)
        #expect(tokenizer.sepID == 3)
        #expect(tokenizer.encode("hello", maxLength: 8) == [2, 5, 3])

        let fraction = TestResources.tinyTokenizerJSON().replacingOccurrences(
            of: #""hello": 5,"#, with: #""hello": 5.5,"#)
        let error = try #require(try loadingError(fraction))
        guard case .unreadable(_, let reason) = error else {
            Issue.record("expected .unreadable, got \(error)")
            return
        }
        #expect(reason.contains("\"hello\" has id the number 5.5"))
    }

    @Test("reports invalid JSON as unreadable, with the byte offset")
    func invalidJSON() throws {
        let error = try #require(try loadingError(#"{"model": {"type": "WordPiece", "vocab": {"a": }}}"#))
        guard case .unreadable(_, let reason) = error else {
            Issue.record("expected .unreadable, got \(error)")
            return
        }
        #expect(reason.contains("at byte"))
    }

    @Test("reports a field of the wrong type by its full name")
    func wrongType() throws {
        let json = TestResources.tinyTokenizerJSON().replacingOccurrences(
            of: #""lowercase": true"#, with: #""lowercase": "yes""#)
        let error = try #require(try loadingError(json))
        guard case .unreadable(_, let reason) = error else {
            Issue.record("expected .unreadable, got \(error)")
            return
        }
        #expect(reason.contains("normalizer.lowercase"))
    }

    @Test("names the path of a missing tokenizer.json")
    func missingFile() {
        let file = URL(fileURLWithPath: "/nonexistent/rag-models/tokenizer.json")
        #expect(throws: TokenizerError.fileNotFound(path: file.path)) {
            try WordPieceTokenizer(tokenizerJSON: file)
        }
    }

    @Test("names the path of a missing model folder")
    func missingFolder() {
        let folder = URL(fileURLWithPath: "/nonexistent/rag-models/minilm")
        #expect(throws: TokenizerError.fileNotFound(path: folder.path)) {
            try WordPieceTokenizer(folder: folder)
        }
    }

    @Test("names tokenizer.json when a folder has neither tokenizer file")
    func emptyFolder() throws {
        let folder = try TestResources.temporaryFolder()
        #expect(throws: TokenizerError.fileNotFound(path: folder.appendingPathComponent("tokenizer.json").path)) {
            try WordPieceTokenizer(folder: folder)
        }
    }
}
