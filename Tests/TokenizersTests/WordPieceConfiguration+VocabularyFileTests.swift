import Foundation
import Testing

@testable import Tokenizers

@Suite("vocab.txt fallback")
struct VocabularyFileTests {
    private func folder(vocabulary: String, configuration: String?) throws -> URL {
        let folder = try TestResources.temporaryFolder()
        try vocabulary.write(to: folder.appendingPathComponent("vocab.txt"), atomically: true, encoding: .utf8)
        if let configuration {
            try configuration.write(
                to: folder.appendingPathComponent("tokenizer_config.json"), atomically: true, encoding: .utf8)
        }
        return folder
    }

    @Test("numbers tokens by line, with or without carriage returns")
    func lineNumbers() throws {
        let text = TestResources.tinyVocabulary.joined(separator: "\r\n") + "\r\n"
        let tokenizer = try WordPieceTokenizer(folder: folder(vocabulary: text, configuration: nil))
        #expect(tokenizer.vocabularySize == TestResources.tinyVocabulary.count)
        #expect(tokenizer.token(for: 8) == "##aff")
        #expect(tokenizer.encode("Unaffable [MASK]", maxLength: 16) == [2, 7, 8, 9, 4, 3])
    }

    @Test("follows do_lower_case and the special tokens of tokenizer_config.json")
    func configuration() throws {
        let vocabulary = ["<pad>", "<unk>", "<s>", "</s>", "Hello", "hello", "é"].joined(separator: "\n")
        let configuration = #"""
            {"do_lower_case": false, "unk_token": "<unk>", "cls_token": {"content": "<s>"}, "sep_token": "</s>",
             "pad_token": "<pad>", "mask_token": "<mask>"}
            """#
        let tokenizer = try WordPieceTokenizer(folder: folder(vocabulary: vocabulary, configuration: configuration))
        #expect(tokenizer.clsID == 2)
        #expect(tokenizer.sepID == 3)
        #expect(tokenizer.padID == 0)
        #expect(tokenizer.unknownID == 1)
        // Cased: no lowercasing, no accent stripping. <mask> is not in the vocabulary: HF adds it.
        #expect(tokenizer.encode("Hello hello é x", maxLength: 16) == [2, 4, 5, 6, 1, 3])
        #expect(tokenizer.vocabularySize == 8)
        #expect(tokenizer.token(for: 7) == "<mask>")
    }

    @Test("reports a broken tokenizer_config.json by name")
    func brokenConfiguration() throws {
        let folder = try folder(vocabulary: "[UNK]\n[CLS]\n[SEP]\n[PAD]\n", configuration: "{not json")
        do {
            _ = try WordPieceTokenizer(folder: folder)
            Issue.record("accepted a broken tokenizer_config.json")
        } catch {
            guard case .unreadable(let path, _) = error else {
                Issue.record("expected .unreadable, got \(error)")
                return
            }
            #expect(path.hasSuffix("tokenizer_config.json"))
        }
    }
}
