import Foundation
import StrictJSON

extension WordPieceConfiguration {
    /// Reads the older BERT layout: `vocab.txt` (one token a line, the line number is the id) and,
    /// when present, `tokenizer_config.json` for casing and the special tokens.
    ///
    /// This mirrors what `transformers` does when it converts such a folder to a fast tokenizer:
    /// BertNormalizer from `do_lower_case`/`strip_accents`/`tokenize_chinese_chars`, and the
    /// special tokens become added tokens matched in raw text.
    init(vocabularyFile url: URL, configurationFile configurationURL: URL?) throws(TokenizerError) {
        let data = try readFile(url)
        // Split on bytes: as Characters, "\r\n" is one grapheme and would never equal "\n".
        var lines = data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        if lines.last?.isEmpty == true { lines.removeLast() }
        var vocabulary: [(token: String, id: Int)] = []
        vocabulary.reserveCapacity(lines.count)
        for (id, line) in lines.enumerated() {
            let bytes = line.last == UInt8(ascii: "\r") ? line.dropLast() : line
            guard let token = String(bytes: bytes, encoding: .utf8) else {
                throw .unreadable(path: url.path, reason: "line \(id + 1) is not UTF-8 text")
            }
            vocabulary.append((token, id))
        }
        self.init(vocabulary: vocabulary)

        var settings = JSONValue.object([])
        let fields = FieldReader(path: configurationURL?.path ?? "tokenizer_config.json")
        if let configurationURL, FileManager.default.fileExists(atPath: configurationURL.path) {
            let configurationData = try readFile(configurationURL)
            do {
                settings = try JSONParser.parse(Array(configurationData))
            } catch {
                throw .unreadable(path: configurationURL.path, reason: "not valid JSON: \(error)")
            }
        }
        /// A special token is written either as a string or as {"content": ...}.
        func token(_ key: String, default value: String) throws(TokenizerError) -> String {
            if let content = settings[key]?["content"]?.string { return content }
            return try fields.string(settings, "tokenizer_config", key) ?? value
        }
        normalizer = BertNormalizer(
            cleanText: true,
            handleChineseCharacters: try fields.bool(settings, "tokenizer_config", "tokenize_chinese_chars") ?? true,
            stripAccents: try fields.bool(settings, "tokenizer_config", "strip_accents"),
            lowercase: try fields.bool(settings, "tokenizer_config", "do_lower_case") ?? true)
        unknownToken = try token("unk_token", default: unknownToken)
        classifierToken = try token("cls_token", default: classifierToken)
        separatorToken = try token("sep_token", default: separatorToken)
        paddingToken = try token("pad_token", default: paddingToken)
        let maskToken = try token("mask_token", default: "[MASK]")
        for special in [paddingToken, unknownToken, classifierToken, separatorToken, maskToken]
        where !addedTokens.contains(where: { $0.content == special }) {
            addedTokens.append(AddedToken(content: special))
        }
    }
}
