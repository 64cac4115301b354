/// Everything a WordPiece tokenizer is built from, whichever file it came from.
///
/// `tokenizer.json` and the older `vocab.txt` + `tokenizer_config.json` pair both reduce to this, so
/// the tokenizer itself has one constructor and one place that checks the special tokens.
struct WordPieceConfiguration: Sendable {
    /// The vocabulary in file order, with the exact strings of the file.
    ///
    /// A list rather than a `[String: Int]`: a Swift dictionary merges canonically equivalent keys
    /// (`é` and `e` + U+0301), which are different tokens to HF.
    var vocabulary: [(token: String, id: Int)]
    var unknownToken = "[UNK]"
    var continuingSubwordPrefix = "##"
    /// Words with more characters than this become the unknown token without being pieced.
    var maxInputCharactersPerWord = 100
    var normalizer = BertNormalizer()
    /// Tokens matched in the text before normalisation (HF "added tokens": [CLS], [SEP], [MASK], ...).
    var addedTokens: [AddedToken] = []
    var classifierToken = "[CLS]"
    var separatorToken = "[SEP]"
    var paddingToken = "[PAD]"
    /// Ids the post-processor states outright; otherwise the token strings are looked up.
    var classifierID: Int?
    var separatorID: Int?
}

/// A token that is found in the text as written, before the WordPiece model sees it.
///
/// Hugging Face matches these first, so a literal `[SEP]` in a document becomes id 102 rather
/// than `[`, `sep`, `]`; matching them the same way keeps our ids identical to the reference.
/// Ids are given by `WordPieceTokenizer` as HF gives them (the ids written in the file are not
/// used by HF either).
struct AddedToken: Sendable, Equatable {
    var content: String
    /// Whether the token is matched in the normalised text (true) or in the raw text (false).
    var normalized = false
    /// Whether the token matches only when it is not inside a word.
    var singleWord = false
}
