/// The typed metadata access a GGUF reader offers, as far as the tokenizer needs it.
///
/// `ModelFiles.GGUFFile` has exactly these members; a module that imports both declares the conformance
/// with one line, `extension GGUFFile: GGUFTokenizerMetadata {}`, and calls
/// `BytePairConfiguration(metadata: file)`. Errors thrown by the accessors (a missing key, a wrong type) pass
/// through unchanged, so they keep naming the file and the key.
public protocol GGUFTokenizerMetadata {
    /// The file's path, for messages.
    var path: String { get }
    func contains(_ key: String) -> Bool
    func string(_ key: String) throws -> String
    func int(_ key: String) throws -> Int
    func bool(_ key: String) throws -> Bool
    func stringArray(_ key: String) throws -> [String]
    func intArray(_ key: String) throws -> [Int]
}

extension BytePairConfiguration {
    /// The keys read, as llama.cpp names them.
    public enum Key {
        public static let model = "tokenizer.ggml.model"
        public static let tokens = "tokenizer.ggml.tokens"
        public static let tokenTypes = "tokenizer.ggml.token_type"
        public static let merges = "tokenizer.ggml.merges"
        public static let preTokenizer = "tokenizer.ggml.pre"
        public static let beginningOfSequenceID = "tokenizer.ggml.bos_token_id"
        public static let endOfSequenceID = "tokenizer.ggml.eos_token_id"
        public static let endOfTurnID = "tokenizer.ggml.eot_token_id"
        public static let unknownID = "tokenizer.ggml.unknown_token_id"
        public static let paddingID = "tokenizer.ggml.padding_token_id"
        public static let addBeginningOfSequence = "tokenizer.ggml.add_bos_token"
        public static let addEndOfSequence = "tokenizer.ggml.add_eos_token"
        public static let chatTemplate = "tokenizer.chat_template"
    }

    /// Reads the `tokenizer.ggml.*` entries of a GGUF file whose tokenizer model is `gpt2` (byte-level BPE).
    ///
    /// Throws `TokenizerError.unsupportedValue` for another tokenizer model (`llama` is SentencePiece, `bert`
    /// WordPiece), and whatever the metadata accessors throw for a missing or mistyped key.
    public init(metadata: some GGUFTokenizerMetadata) throws {
        let model = try metadata.string(Key.model)
        guard model == "gpt2" else {
            throw TokenizerError.unsupportedValue(
                path: metadata.path, field: Key.model, found: model, supported: ["gpt2 (byte-level BPE)"])
        }
        func optionalInt(_ key: String) throws -> Int? {
            metadata.contains(key) ? try metadata.int(key) : nil
        }
        self.init(
            tokens: try metadata.stringArray(Key.tokens),
            tokenTypes: metadata.contains(Key.tokenTypes) ? try metadata.intArray(Key.tokenTypes) : [],
            merges: try metadata.stringArray(Key.merges),
            preTokenizer: metadata.contains(Key.preTokenizer) ? try metadata.string(Key.preTokenizer) : "",
            beginningOfSequenceID: try optionalInt(Key.beginningOfSequenceID),
            endOfSequenceID: try optionalInt(Key.endOfSequenceID),
            endOfTurnID: try optionalInt(Key.endOfTurnID),
            unknownID: try optionalInt(Key.unknownID),
            paddingID: try optionalInt(Key.paddingID),
            addBeginningOfSequence: metadata.contains(Key.addBeginningOfSequence)
                ? try metadata.bool(Key.addBeginningOfSequence) : nil,
            addEndOfSequence: metadata.contains(Key.addEndOfSequence)
                ? try metadata.bool(Key.addEndOfSequence) : false,
            source: metadata.path)
    }
}
