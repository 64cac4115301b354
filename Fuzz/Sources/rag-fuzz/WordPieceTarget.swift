import Foundation
import Tokenizers

/// A BERT `tokenizer.json` through `WordPieceTokenizer`: build, then encode a few texts. Every id it gives
/// must name a token of the vocabulary, since the embedder indexes its embedding matrix with them.
final class WordPieceTarget: FuzzTarget {
    static let name = "tokenizer-json"
    static let summary = "a WordPiece tokenizer.json (Tokenizers)"

    static let texts = [
        "The quick brown foxes [SEP] jumped", "[CLS][MASK] unaffable", "ÉCOLE naïve café 中文字 日本語",
        "don't   stop\tthe\u{00A0}music!!", String(repeating: "x", count: 300), "\u{0}\u{FFFD}\u{1F642}",
    ]

    let scratch: ScratchFolder

    init() throws { scratch = try ScratchFolder(label: Self.name) }

    func run(_ input: UnsafeRawBufferPointer) {
        let url = scratch.write(input, to: "tokenizer.json")
        let tokenizer: WordPieceTokenizer
        do {
            tokenizer = try WordPieceTokenizer(tokenizerJSON: url)
        } catch {
            requireNamesFile(error, TokenizerError.self, path: url.path)
            return
        }
        let vocabulary = 0..<tokenizer.vocabularySize
        for id in [tokenizer.clsID, tokenizer.sepID, tokenizer.padID, tokenizer.unknownID] {
            guard vocabulary.contains(id), tokenizer.token(for: id) != nil else {
                fuzzFailure("special token id \(id) is outside the vocabulary of \(tokenizer.vocabularySize)")
            }
        }
        for text in Self.texts {
            for ids in [tokenizer.encode(text, maxLength: 16), tokenizer.tokenize(text)] {
                guard ids.allSatisfy({ vocabulary.contains($0) && tokenizer.token(for: $0) != nil }) else {
                    fuzzFailure("\(text.debugDescription) gave ids outside the vocabulary: \(ids)")
                }
            }
            guard tokenizer.encode(text, maxLength: 16).count <= 16 else { fuzzFailure("encode ignored maxLength") }
        }
    }

    /// A vocabulary of special tokens, some words and their continuations.
    static let vocabulary = [
        "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "the", "quick", "brown", "fox", "##es", "jump", "##ed", "un",
        "##aff", "##able", "!", "'", "t", "don", "stop", "music", "ecole", "naive", "cafe", "中", "文", "字", "x", "##x",
    ]

    static func tokenizerJSON(
        normalizer: String =
            #"{"type": "BertNormalizer", "clean_text": true, "handle_chinese_chars": true, "strip_accents": null, "lowercase": true}"#,
        postProcessor: String =
            #"{"type": "TemplateProcessing", "single": [{"SpecialToken": {"id": "[CLS]", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}}, {"SpecialToken": {"id": "[SEP]", "type_id": 0}}], "pair": [], "special_tokens": {"[CLS]": {"id": "[CLS]", "ids": [2], "tokens": ["[CLS]"]}, "[SEP]": {"id": "[SEP]", "ids": [3], "tokens": ["[SEP]"]}}}"#
    ) -> String {
        let vocab = vocabulary.enumerated().map { "\"\($0.element)\": \($0.offset)" }.joined(separator: ", ")
        let added = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"].enumerated().map {
            #"{"id": \#($0.offset), "content": "\#($0.element)", "single_word": false, "lstrip": false, "rstrip": false, "normalized": false, "special": true}"#
        }.joined(separator: ", ")
        return """
            {"version": "1.0", "truncation": {"max_length": 128}, "padding": {"pad_token": "[PAD]", "pad_id": 0},
             "added_tokens": [\(added)],
             "normalizer": \(normalizer),
             "pre_tokenizer": {"type": "BertPreTokenizer"},
             "post_processor": \(postProcessor),
             "decoder": {"type": "WordPiece", "prefix": "##", "cleanup": true},
             "model": {"type": "WordPiece", "unk_token": "[UNK]", "continuing_subword_prefix": "##",
                       "max_input_chars_per_word": 100, "vocab": {\(vocab)}}}
            """
    }

    static func seeds() throws -> [Seed] {
        [
            Seed("template.json", text: tokenizerJSON()),
            Seed(
                "bert-processing.json",
                text: tokenizerJSON(
                    normalizer: "null",
                    postProcessor: #"{"type": "BertProcessing", "sep": ["[SEP]", 3], "cls": ["[CLS]", 2]}"#)),
        ]
    }
}
