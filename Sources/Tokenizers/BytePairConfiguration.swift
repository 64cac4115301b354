/// Everything a byte-level BPE tokenizer is built from, as plain values.
///
/// These are the `tokenizer.ggml.*` entries of a GGUF file (`model` "gpt2"), but this module does not read
/// files of that format: the module that opens the file fills this in, field for field, or calls
/// `init(metadata:)` with its file (see `GGUFTokenizerMetadata`). Keeping the two apart lets `Tokenizers`
/// and `ModelFiles` stay independent modules of the same layer.
public struct BytePairConfiguration: Sendable, Equatable {
    /// GGUF's `tokenizer.ggml.token_type` values.
    public enum TokenType: Int, Sendable {
        case undefined = 0
        case normal = 1
        case unknown = 2
        case control = 3
        case userDefined = 4
        case unused = 5
        case byte = 6
    }

    /// The vocabulary strings, written in `ByteLevelAlphabet` (a space is `Ġ`); the index is the id.
    public var tokens: [String]
    /// One `TokenType` raw value per token; empty means every token is normal.
    public var tokenTypes: [Int]
    /// The merges, highest priority first, each two tokens separated by one space: `"Ġ t"`.
    public var merges: [String]
    /// `tokenizer.ggml.pre`, such as `smollm`, `qwen2`, `llama-bpe`; empty for llama.cpp's default.
    public var preTokenizer: String
    public var beginningOfSequenceID: Int?
    public var endOfSequenceID: Int?
    /// The end-of-turn token when it differs from end of sequence (`<|eot_id|>` in Llama 3).
    public var endOfTurnID: Int?
    public var unknownID: Int?
    public var paddingID: Int?
    /// Whether `encode(_:addSpecialTokens: true)` starts with the BOS token.
    public var addBeginningOfSequence: Bool
    /// Whether `encode(_:addSpecialTokens: true)` ends with the EOS token.
    public var addEndOfSequence: Bool
    /// Where the values came from (a file path), for error messages.
    public var source: String

    public init(
        tokens: [String],
        tokenTypes: [Int] = [],
        merges: [String],
        preTokenizer: String,
        beginningOfSequenceID: Int? = nil,
        endOfSequenceID: Int? = nil,
        endOfTurnID: Int? = nil,
        unknownID: Int? = nil,
        paddingID: Int? = nil,
        addBeginningOfSequence: Bool? = nil,
        addEndOfSequence: Bool = false,
        source: String
    ) {
        self.tokens = tokens
        self.tokenTypes = tokenTypes
        self.merges = merges
        self.preTokenizer = preTokenizer
        self.beginningOfSequenceID = beginningOfSequenceID
        self.endOfSequenceID = endOfSequenceID
        self.endOfTurnID = endOfTurnID
        self.unknownID = unknownID
        self.paddingID = paddingID
        // llama.cpp's default when the file does not say: BOS for the Llama 3 family only.
        self.addBeginningOfSequence =
            addBeginningOfSequence ?? BytePairPreTokenizer.isLlama3Family(preTokenizer)
        self.addEndOfSequence = addEndOfSequence
        self.source = source
    }
}
