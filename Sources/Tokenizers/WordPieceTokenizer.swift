import Foundation

/// A BERT WordPiece tokenizer that gives the same ids as Hugging Face `tokenizers`.
///
/// The pipeline, one stage per file: added tokens are cut out of the raw text
/// (`AddedTokenMatcher`), the rest is normalised (`BertNormalizer`), split into words
/// (`BertPreTokenizer`), and each word cut into vocabulary pieces (`WordPieceModel`); `encode` then
/// wraps the pieces as `[CLS] … [SEP]` (the `TemplateProcessing` of `tokenizer.json`).
///
/// Truncation is the caller's: `tokenizer.json` files often carry `truncation`/`padding` settings
/// (all-MiniLM-L6-v2 has 128 for both) that sentence-transformers ignores, so they are ignored here
/// as well; pass the model's `max_seq_length` (256 for all-MiniLM-L6-v2) to `encode`.
public struct WordPieceTokenizer: Sendable {
    /// One more than the largest id, counting added tokens.
    public let vocabularySize: Int
    public let clsID: Int
    public let sepID: Int
    public let padID: Int
    public let unknownID: Int

    let normalizer: BertNormalizer
    let preTokenizer = BertPreTokenizer()
    let model: WordPieceModel
    /// Added tokens matched in the raw text, and those matched after normalisation.
    let rawAddedTokens: AddedTokenMatcher
    let normalizedAddedTokens: AddedTokenMatcher
    /// The string of each id; nil where the vocabulary has a hole.
    private let tokens: [String?]

    /// Loads from a folder's `tokenizer.json`, or from `vocab.txt` (+ `tokenizer_config.json`)
    /// when the folder has no `tokenizer.json`.
    public init(folder: URL) throws(TokenizerError) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory),
            isDirectory.boolValue
        else {
            throw .fileNotFound(path: folder.path)
        }
        let tokenizerJSON = folder.appendingPathComponent("tokenizer.json")
        let vocabularyFile = folder.appendingPathComponent("vocab.txt")
        if FileManager.default.fileExists(atPath: tokenizerJSON.path) {
            try self.init(tokenizerJSON: tokenizerJSON)
        } else if FileManager.default.fileExists(atPath: vocabularyFile.path) {
            let configuration = try WordPieceConfiguration(
                vocabularyFile: vocabularyFile,
                configurationFile: folder.appendingPathComponent("tokenizer_config.json"))
            try self.init(configuration: configuration, path: vocabularyFile.path)
        } else {
            throw .fileNotFound(path: tokenizerJSON.path)
        }
    }

    /// Loads from a Hugging Face `tokenizer.json` (BertNormalizer, BertPreTokenizer, WordPiece).
    public init(tokenizerJSON: URL) throws(TokenizerError) {
        let configuration = try WordPieceConfiguration(tokenizerJSON: tokenizerJSON)
        try self.init(configuration: configuration, path: tokenizerJSON.path)
    }

    init(configuration: WordPieceConfiguration, path: String) throws(TokenizerError) {
        let trie = VocabularyTrie(
            vocabulary: configuration.vocabulary,
            continuingSubwordPrefix: configuration.continuingSubwordPrefix)

        // Added tokens are numbered as HF numbers them: a token the model has keeps the model's
        // id; a new one gets the model's vocabulary size, or one more than the largest added id.
        var addedIDs: [String: Int] = [:]
        var largestAdded: Int?
        var added: [(token: AddedToken, id: Int)] = []
        for token in configuration.addedTokens {
            let id: Int
            if let known = addedIDs[token.content] ?? trie.id(of: token.content) {
                id = known
            } else if let largest = largestAdded, largest >= configuration.vocabulary.count {
                id = largest + 1
            } else {
                id = configuration.vocabulary.count
            }
            addedIDs[token.content] = id
            largestAdded = max(largestAdded ?? id, id)
            added.append((token, id))
        }

        func id(of token: String, stated: Int? = nil) throws(TokenizerError) -> Int {
            if let id = stated ?? addedIDs[token] ?? trie.id(of: token) { return id }
            throw .missingToken(path: path, token: token)
        }
        guard let unknownID = trie.id(of: configuration.unknownToken) else {
            throw .missingToken(path: path, token: configuration.unknownToken)
        }
        self.unknownID = unknownID
        clsID = try id(of: configuration.classifierToken, stated: configuration.classifierID)
        sepID = try id(of: configuration.separatorToken, stated: configuration.separatorID)
        padID = try id(of: configuration.paddingToken)

        normalizer = configuration.normalizer
        model = WordPieceModel(
            trie: trie, unknownID: unknownID,
            maxInputCharactersPerWord: configuration.maxInputCharactersPerWord)
        let normalizer = configuration.normalizer
        rawAddedTokens = AddedTokenMatcher(
            added.filter { !$0.token.normalized }.map {
                (Array($0.token.content.unicodeScalars), $0.id, $0.token.singleWord)
            })
        normalizedAddedTokens = AddedTokenMatcher(
            added.filter { $0.token.normalized }.map {
                (Array(normalizer.normalize($0.token.content).unicodeScalars), $0.id, $0.token.singleWord)
            })

        var largest = largestAdded ?? -1
        for entry in configuration.vocabulary where entry.id > largest { largest = entry.id }
        vocabularySize = largest + 1
        var tokens = [String?](repeating: nil, count: largest + 1)
        for (token, id) in configuration.vocabulary { tokens[id] = token }
        for (token, id) in added { tokens[id] = token.content }
        self.tokens = tokens

        // The post-processor may state [CLS] and [SEP] ids outright; the embedder indexes its embedding
        // matrix with every id, so one outside the vocabulary would read outside the matrix.
        for (token, id) in [(configuration.classifierToken, clsID), (configuration.separatorToken, sepID)]
        where !tokens.indices.contains(id) || tokens[id] == nil {
            throw .unreadable(
                path: path,
                reason: "post_processor gives \(token) the id \(id), which is not in the vocabulary "
                    + "(ids 0 to \(vocabularySize - 1))")
        }
    }

    /// Ids with `[CLS]` … `[SEP]`, truncated so that the total is at most `maxLength`.
    ///
    /// Truncation drops pieces from the end and keeps `[SEP]` last, as HF does. A `maxLength`
    /// below 2 is taken as 2: the result is always at least `[CLS] [SEP]`.
    public func encode(_ text: String, maxLength: Int) -> [Int] {
        let pieceLimit = max(2, maxLength) - 2
        var ids = [clsID]
        ids.reserveCapacity(min(pieceLimit, text.utf8.count) + 2)
        appendPieces(of: text, limit: pieceLimit + 1, to: &ids)
        ids.append(sepID)
        return ids
    }

    /// WordPiece ids without special tokens and without truncation.
    public func tokenize(_ text: String) -> [Int] {
        var ids: [Int] = []
        appendPieces(of: text, limit: Int.max, to: &ids)
        return ids
    }

    /// The vocabulary string of `id` (`##` pieces keep their prefix), or nil for an unknown id.
    public func token(for id: Int) -> String? {
        tokens.indices.contains(id) ? tokens[id] : nil
    }

    /// Runs the pipeline on `text`, appending piece ids until `ids.count` reaches `limit`.
    ///
    /// Stops early once the limit is reached, so truncating a long text does not piece all of it.
    func appendPieces(of text: String, limit: Int, to ids: inout [Int]) {
        guard ids.count < limit else { return }
        var scalars: [Unicode.Scalar] = []
        scalars.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars { scalars.append(scalar) }
        var pass = Pass(limit: limit)
        if rawAddedTokens.isEmpty {
            appendPieces(of: scalars, range: scalars.indices, pass: &pass, to: &ids)
        } else {
            var segments: [AddedTokenMatcher.Segment] = []
            rawAddedTokens.split(scalars, range: scalars.indices, into: &segments)
            for segment in segments where ids.count < limit {
                switch segment {
                case .token(let id): ids.append(id)
                case .text(let range): appendPieces(of: scalars, range: range, pass: &pass, to: &ids)
                }
            }
        }
        if ids.count > limit { ids.removeSubrange(limit...) }
    }

    /// Buffers reused across the segments of one text.
    private struct Pass {
        let limit: Int
        var normalized: [Unicode.Scalar] = []
        var segments: [AddedTokenMatcher.Segment] = []
        var words: [Range<Int>] = []
    }

    /// Normalises, pre-tokenises and pieces one stretch of raw text.
    private func appendPieces(
        of scalars: [Unicode.Scalar], range: Range<Int>, pass: inout Pass, to ids: inout [Int]
    ) {
        pass.normalized.removeAll(keepingCapacity: true)
        normalizer.normalize(scalars, range: range, into: &pass.normalized)
        if normalizedAddedTokens.isEmpty {
            appendWords(of: pass.normalized.indices, pass: &pass, to: &ids)
            return
        }
        pass.segments.removeAll(keepingCapacity: true)
        normalizedAddedTokens.split(pass.normalized, range: pass.normalized.indices, into: &pass.segments)
        for segment in pass.segments where ids.count < pass.limit {
            switch segment {
            case .token(let id): ids.append(id)
            case .text(let range): appendWords(of: range, pass: &pass, to: &ids)
            }
        }
    }

    private func appendWords(of range: Range<Int>, pass: inout Pass, to ids: inout [Int]) {
        pass.words.removeAll(keepingCapacity: true)
        preTokenizer.split(pass.normalized, range: range, into: &pass.words)
        for word in pass.words {
            if ids.count >= pass.limit { return }
            model.appendPieces(of: pass.normalized, word: word, to: &ids)
        }
    }
}
