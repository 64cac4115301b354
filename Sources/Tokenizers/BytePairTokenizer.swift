/// A byte-level BPE tokenizer (GPT-2, SmolLM, Qwen2, Llama 3) that gives llama.cpp's ids.
///
/// The pipeline, one stage per file: special tokens are cut out of the raw text (`SpecialTokenMatcher`),
/// the rest is split into words by the model's pre-tokenizer (`BytePairPreTokenizer`), and each word's
/// UTF-8 bytes are merged into tokens (`BytePairModel`). There is no normaliser: byte-level BPE encodes any
/// text losslessly, so `decode(encode(text)) == text` for every string.
///
/// Build it from plain values (`BytePairConfiguration`), which the module that reads GGUF files fills in.
/// A value type that is cheap to copy and safe to share between threads.
public struct BytePairTokenizer: Sendable {
    public typealias TokenType = BytePairConfiguration.TokenType

    public var vocabularySize: Int { vocabulary.count }
    public let beginningOfSequenceID: Int?
    public let endOfSequenceID: Int?
    public let endOfTurnID: Int?
    public let unknownID: Int?
    public let paddingID: Int?
    /// Whether `encode(_:addSpecialTokens: true)` adds BOS in front.
    public let addsBeginningOfSequence: Bool
    /// Whether `encode(_:addSpecialTokens: true)` adds EOS at the end.
    public let addsEndOfSequence: Bool
    /// Tokens after which generation stops: EOS, end of turn, and the end markers llama.cpp recognises by
    /// their text (`<|im_end|>`, `<|endoftext|>`, `<|eot_id|>`, …).
    public let endOfGenerationIDs: Set<Int>

    let preTokenizer: BytePairPreTokenizer
    let model: BytePairModel
    /// Control, unknown and user-defined tokens, matched when special tokens are parsed.
    let specialTokens: SpecialTokenMatcher
    /// User-defined tokens alone, which llama.cpp matches even when special tokens are not parsed.
    let userDefinedTokens: SpecialTokenMatcher
    let vocabulary: TokenVocabulary
    let types: [TokenType]

    /// Texts that end a turn or a document in the vocabularies llama.cpp knows.
    static let endOfGenerationTexts: Set<String> = [
        "<|eot_id|>", "<|im_end|>", "<|end|>", "<end_of_turn>", "<|endoftext|>", "<|eom_id|>", "<EOT>",
        "<|end_of_text|>",
    ]

    /// Validates `configuration` and builds the lookup tables.
    ///
    /// Throws `.unsupportedValue` for a pre-tokenizer this module does not implement, and
    /// `.invalidVocabulary` for a vocabulary that contradicts itself (a duplicate token, a merge of tokens
    /// that do not exist, a special id outside the vocabulary).
    public init(configuration: BytePairConfiguration) throws(TokenizerError) {
        let source = configuration.source
        func invalid(_ reason: String) -> TokenizerError { .invalidVocabulary(path: source, reason: reason) }

        guard let kind = BytePairPreTokenizer.kind(named: configuration.preTokenizer) else {
            throw .unsupportedValue(
                path: source, field: "tokenizer.ggml.pre", found: configuration.preTokenizer,
                supported: BytePairPreTokenizer.Kind.allCases.map(\.rawValue))
        }
        let tokens = configuration.tokens
        guard !tokens.isEmpty, tokens.count < Int(Int32.max) else {
            throw invalid("has \(tokens.count) tokens, expected between 1 and \(Int32.max - 1)")
        }
        guard configuration.tokenTypes.isEmpty || configuration.tokenTypes.count >= tokens.count else {
            throw invalid("has \(configuration.tokenTypes.count) token types for \(tokens.count) tokens")
        }

        let vocabulary = try TokenVocabulary(tokens, invalid: invalid)

        var types = (0..<tokens.count).map { id in
            configuration.tokenTypes.isEmpty
                ? TokenType.normal : TokenType(rawValue: configuration.tokenTypes[id]) ?? .undefined
        }
        for (id, token) in tokens.enumerated() where Self.endOfGenerationTexts.contains(token) && types[id] != .control
        {
            types[id] = .control
        }

        for (name, id) in [
            ("bos_token_id", configuration.beginningOfSequenceID), ("eos_token_id", configuration.endOfSequenceID),
            ("eot_token_id", configuration.endOfTurnID), ("unknown_token_id", configuration.unknownID),
            ("padding_token_id", configuration.paddingID),
        ] {
            if let id, !tokens.indices.contains(id) {
                throw invalid("\(name) \(id) is outside the vocabulary of \(tokens.count) tokens")
            }
        }
        if configuration.addBeginningOfSequence && configuration.beginningOfSequenceID == nil {
            throw invalid("add_bos_token is true, but bos_token_id is not set")
        }
        if configuration.addEndOfSequence && configuration.endOfSequenceID == nil {
            throw invalid("add_eos_token is true, but eos_token_id is not set")
        }

        let byteIDs = ByteLevelAlphabet.scalars.map { vocabulary.id(of: String($0)) ?? -1 }
        let merges = try Self.parseMerges(configuration.merges, vocabulary: vocabulary, invalid: invalid)

        self.vocabulary = vocabulary
        self.types = types
        beginningOfSequenceID = configuration.beginningOfSequenceID
        endOfSequenceID = configuration.endOfSequenceID
        endOfTurnID = configuration.endOfTurnID
        unknownID = configuration.unknownID
        paddingID = configuration.paddingID
        addsBeginningOfSequence = configuration.addBeginningOfSequence
        addsEndOfSequence = configuration.addEndOfSequence
        var endOfGeneration = Set([configuration.endOfSequenceID, configuration.endOfTurnID].compactMap { $0 })
        for (id, token) in tokens.enumerated() where Self.endOfGenerationTexts.contains(token) {
            endOfGeneration.insert(id)
        }
        endOfGenerationIDs = endOfGeneration
        preTokenizer = BytePairPreTokenizer(kind: kind)
        model = BytePairModel(
            byteIDs: byteIDs, merges: merges, vocabulary: vocabulary,
            ignoreMerges: BytePairPreTokenizer.isLlama3Family(configuration.preTokenizer))
        let special = tokens.enumerated().filter { [.control, .unknown, .userDefined].contains(types[$0.offset]) }
        specialTokens = SpecialTokenMatcher(special.map { ($0.element, $0.offset) })
        userDefinedTokens = SpecialTokenMatcher(
            special.filter { types[$0.offset] == .userDefined }.map { ($0.element, $0.offset) })
    }

    /// Merges as `"left right"`, split at the first space after the first character (as llama.cpp splits);
    /// both sides and their concatenation must be tokens. A repeated pair keeps its first, highest rank.
    private static func parseMerges(
        _ merges: [String], vocabulary: TokenVocabulary, invalid: (String) -> TokenizerError
    ) throws(TokenizerError) -> [UInt64: BytePairModel.Merge] {
        var table: [UInt64: BytePairModel.Merge] = [:]
        table.reserveCapacity(merges.count)
        for (rank, merge) in merges.enumerated() {
            let utf8 = merge.utf8
            guard let space = utf8.dropFirst().firstIndex(of: UInt8(ascii: " ")) else {
                throw invalid("merge \(rank) '\(merge)' is not two tokens separated by a space")
            }
            let left = String(merge[..<space])
            let right = String(merge[merge.utf8.index(after: space)...])
            guard let leftID = vocabulary.id(of: left), let rightID = vocabulary.id(of: right) else {
                throw invalid(
                    "merge \(rank) '\(merge)' joins '\(vocabulary.id(of: left) == nil ? left : right)', which is not a token"
                )
            }
            guard let result = vocabulary.id(of: left + right) else {
                throw invalid("merge \(rank) '\(merge)' makes '\(left + right)', which is not a token")
            }
            let key = BytePairModel.key(leftID, rightID)
            if table[key] == nil { table[key] = BytePairModel.Merge(rank: Int32(rank), result: result) }
        }
        return table
    }
}
