/// Everything that can go wrong while loading a tokenizer.
///
/// Tokenizing itself never fails: text that cannot be pieced becomes the unknown token. Each case
/// names the file it is about, and `description` says what a person can do about it.
public enum TokenizerError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The file (or model folder) does not exist.
    case fileNotFound(path: String)
    /// The file exists but cannot be read or parsed; `reason` says where and why.
    case unreadable(path: String, reason: String)
    /// The file asks for something this tokenizer does not implement, such as a BPE model.
    case unsupported(path: String, field: String, found: String)
    /// A token the tokenizer needs (`[CLS]`, `[SEP]`, `[PAD]`, `[UNK]`) is not in the vocabulary.
    case missingToken(path: String, token: String)
    /// A byte-level BPE setting names something not implemented, such as a pre-tokenizer; `supported` lists
    /// what is.
    case unsupportedValue(path: String, field: String, found: String, supported: [String])
    /// The byte-level BPE vocabulary contradicts itself: a merge of unknown tokens, a duplicate token, a
    /// special token id out of range.
    case invalidVocabulary(path: String, reason: String)
    /// The chat template is of no family this module can render (ChatML, Llama 3).
    case unsupportedChatTemplate(path: String, reason: String)

    public var description: String {
        switch self {
        case .fileNotFound(let path):
            return
                "tokenizer file not found at \(path); point to a model folder with tokenizer.json (or vocab.txt), or run `make models` for the default"
        case .unreadable(let path, let reason):
            return
                "cannot read tokenizer file \(path): \(reason); replace it with a valid copy (e.g. run `make models` again)"
        case .unsupported(let path, let field, let found):
            return
                "\(path): '\(field)' is \(found), which the WordPiece tokenizer does not support; use a BERT-family model (BertNormalizer, BertPreTokenizer, WordPiece)"
        case .missingToken(let path, let token):
            return
                "\(path): the vocabulary has no \(token) token, which a BERT model needs; check that the file belongs to a BERT-family model"
        case .unsupportedValue(let path, let field, let found, let supported):
            return
                "\(path): '\(field)' is '\(found)', which is not supported; supported: \(supported.joined(separator: ", "))"
        case .invalidVocabulary(let path, let reason):
            return
                "\(path): invalid tokenizer vocabulary: \(reason); the file is damaged or was converted wrongly, download or convert it again"
        case .unsupportedChatTemplate(let path, let reason):
            return
                "\(path): unsupported chat template: \(reason); supported are ChatML (<|im_start|>) and Llama 3 (<|start_header_id|>) templates"
        }
    }
}
