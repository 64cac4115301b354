import Foundation
import StrictJSON

/// Reads the parts of a Hugging Face `tokenizer.json` that a BERT WordPiece tokenizer uses.
///
/// Accepted: `normalizer` BertNormalizer (or null), `pre_tokenizer` BertPreTokenizer, `model`
/// WordPiece, `post_processor` TemplateProcessing `[CLS] $A [SEP]` or BertProcessing (or null),
/// and `added_tokens`. Anything else is refused with the field and what was found.
///
/// `truncation` and `padding` are ignored on purpose: all-MiniLM-L6-v2 ships `max_length 128` and
/// `Fixed 128` padding, which sentence-transformers ignores too; the caller's `maxLength` decides
/// truncation, and encoding a single text never pads. Only `padding.pad_token` is read, to name
/// the padding token.
extension WordPieceConfiguration {
    init(tokenizerJSON url: URL) throws(TokenizerError) {
        let path = url.path
        let data = try readFile(url)
        let root: JSONValue
        do {
            root = try JSONParser.parse(Array(data))
        } catch {
            throw .unreadable(path: path, reason: "not valid JSON: \(error)")
        }
        let fields = FieldReader(path: path)

        guard let model = root["model"] else { throw .unreadable(path: path, reason: "field 'model' is missing") }
        let modelType = model["type"]?.string
        guard modelType == "WordPiece" || (modelType == nil && model["continuing_subword_prefix"] != nil) else {
            throw .unsupported(path: path, field: "model.type", found: modelType ?? "missing")
        }
        guard case .object(let members)? = model["vocab"] else {
            throw .unreadable(
                path: path, reason: "field 'model.vocab' is \(model["vocab"]?.summary ?? "missing"), expected an object"
            )
        }
        var vocabulary: [(token: String, id: Int)] = []
        vocabulary.reserveCapacity(members.count)
        // The id → token table is as long as the largest id: the bound keeps a corrupt or forged id from sizing
        // it in gigabytes. Each entry takes at least 6 bytes of the file (`"a":1,`), so the ids of a vocabulary
        // without holes stay below the file's size; an id at or past it cannot be one of those.
        let idLimit = min(1 << 24, max(data.count, 1))
        for member in members {
            let (token, value) = (member.key, member.value)
            guard let id = value.wholeNumber, id >= 0, id < idLimit else {
                throw .unreadable(
                    path: path,
                    reason:
                        "vocabulary entry \"\(token)\" has id \(value.summary), expected a whole number from 0 to "
                        + "\(idLimit - 1) (ids are dense, and the file has \(data.count) bytes)"
                )
            }
            vocabulary.append((token, id))
        }
        self.init(vocabulary: vocabulary)
        unknownToken = try fields.string(model, "model", "unk_token") ?? unknownToken
        continuingSubwordPrefix =
            try fields.string(model, "model", "continuing_subword_prefix") ?? continuingSubwordPrefix
        maxInputCharactersPerWord =
            try fields.int(model, "model", "max_input_chars_per_word") ?? maxInputCharactersPerWord

        if let settings = root["normalizer"], !settings.isNull {
            let type = settings["type"]?.string ?? "missing"
            guard type == "BertNormalizer" else {
                throw .unsupported(path: path, field: "normalizer.type", found: type)
            }
            normalizer = BertNormalizer(
                cleanText: try fields.bool(settings, "normalizer", "clean_text") ?? true,
                handleChineseCharacters: try fields.bool(settings, "normalizer", "handle_chinese_chars") ?? true,
                stripAccents: try fields.bool(settings, "normalizer", "strip_accents"),
                lowercase: try fields.bool(settings, "normalizer", "lowercase") ?? true)
        } else {
            normalizer = .identity
        }

        let preTokenizer = root["pre_tokenizer"]
        guard preTokenizer?["type"]?.string == "BertPreTokenizer" else {
            throw .unsupported(
                path: path, field: "pre_tokenizer.type",
                found: preTokenizer?["type"]?.string ?? preTokenizer?.summary ?? "missing")
        }

        if case .array(let entries)? = root["added_tokens"] {
            for (index, entry) in entries.enumerated() {
                let name = "added_tokens.\(index)"
                guard let content = try fields.string(entry, name, "content") else {
                    throw .unreadable(path: path, reason: "field '\(name).content' is missing")
                }
                addedTokens.append(
                    AddedToken(
                        content: content,
                        normalized: try fields.bool(entry, name, "normalized") ?? false,
                        singleWord: try fields.bool(entry, name, "single_word") ?? false))
            }
        }

        if let padding = root["padding"], !padding.isNull {
            paddingToken = try fields.string(padding, "padding", "pad_token") ?? paddingToken
        }
        if let processor = root["post_processor"], !processor.isNull {
            try readPostProcessor(processor, fields: fields)
        }
    }

    /// Takes [CLS] and [SEP] from a `[CLS] $A [SEP]` template, or from BertProcessing.
    private mutating func readPostProcessor(
        _ processor: JSONValue, fields: FieldReader
    ) throws(TokenizerError) {
        let path = fields.path
        switch processor["type"]?.string {
        case "BertProcessing":
            // "cls": ["[CLS]", 101], "sep": ["[SEP]", 102]
            for key in ["cls", "sep"] {
                guard case .array(let pair)? = processor[key], pair.count == 2, let token = pair[0].string,
                    let id = pair[1].wholeNumber
                else {
                    throw .unreadable(path: path, reason: "field 'post_processor.\(key)' should be [token, id]")
                }
                if key == "cls" {
                    classifierToken = token
                    classifierID = id
                } else {
                    separatorToken = token
                    separatorID = id
                }
            }
        case "TemplateProcessing":
            guard case .array(let single)? = processor["single"] else {
                throw .unreadable(path: path, reason: "field 'post_processor.single' is missing")
            }
            let names = single.map { piece in
                piece["SpecialToken"]?["id"]?.string ?? piece["Sequence"]?["id"]?.string.map { "$" + $0 } ?? "?"
            }
            guard single.count == 3, let first = single[0]["SpecialToken"]?["id"]?.string,
                single[1]["Sequence"] != nil, let last = single[2]["SpecialToken"]?["id"]?.string
            else {
                throw .unsupported(
                    path: path, field: "post_processor.single",
                    found: "[" + names.joined(separator: " ") + "] (expected [CLS] $A [SEP])")
            }
            classifierToken = first
            separatorToken = last
            classifierID = try specialTokenID(processor, first, path: path)
            separatorID = try specialTokenID(processor, last, path: path)
        case let other:
            throw .unsupported(path: path, field: "post_processor.type", found: other ?? "missing")
        }
    }

    /// The single id that `special_tokens` gives a template token, if it lists one.
    private func specialTokenID(_ processor: JSONValue, _ token: String, path: String) throws(TokenizerError) -> Int? {
        guard case .array(let ids)? = processor["special_tokens"]?[token]?["ids"] else { return nil }
        guard ids.count == 1, let id = ids[0].wholeNumber else {
            throw .unsupported(
                path: path, field: "post_processor.special_tokens.\(token).ids", found: "\(ids.count) ids")
        }
        return id
    }
}

/// Reads optional typed fields, failing with the field's full name when the type is wrong.
struct FieldReader {
    let path: String

    func string(_ object: JSONValue, _ parent: String, _ key: String) throws(TokenizerError) -> String? {
        guard let value = object[key], !value.isNull else { return nil }
        guard let string = value.string else { throw mismatch(parent, key, value, "a string") }
        return string
    }

    func int(_ object: JSONValue, _ parent: String, _ key: String) throws(TokenizerError) -> Int? {
        guard let value = object[key], !value.isNull else { return nil }
        guard let int = value.wholeNumber else { throw mismatch(parent, key, value, "a whole number") }
        return int
    }

    func bool(_ object: JSONValue, _ parent: String, _ key: String) throws(TokenizerError) -> Bool? {
        guard let value = object[key], !value.isNull else { return nil }
        guard let bool = value.bool else { throw mismatch(parent, key, value, "true or false") }
        return bool
    }

    private func mismatch(_ parent: String, _ key: String, _ value: JSONValue, _ expected: String) -> TokenizerError {
        .unreadable(path: path, reason: "field '\(parent).\(key)' is \(value.summary), expected \(expected)")
    }
}

/// Reads a whole file, telling a missing file from an unreadable one.
func readFile(_ url: URL) throws(TokenizerError) -> Data {
    guard FileManager.default.fileExists(atPath: url.path) else {
        throw .fileNotFound(path: url.path)
    }
    do {
        return try Data(contentsOf: url)
    } catch {
        throw .unreadable(path: url.path, reason: error.localizedDescription)
    }
}

extension JSONValue {
    /// A whole number as an `Int`, `2.0` and `2e0` included: ids and lengths have always been read so here, and
    /// `int`, which takes integer literals only, would refuse files that loaded before.
    var wholeNumber: Int? {
        guard let value = double, value.rounded() == value, abs(value) < 1e15 else { return nil }
        return Int(value)
    }
}
