import ModelFiles
import Tokenizers

/// Everything that can go wrong while loading a sentence-encoder folder.
///
/// Each case names the file and, where a person can act, says what to do.
public enum EmbedderError: Error, CustomStringConvertible, Sendable {
    /// The model folder does not exist.
    case modelFolderNotFound(path: String)
    /// A file the folder must contain is missing.
    case missingFile(path: String)
    /// A configuration file cannot be read or is not the JSON it should be.
    case unreadableConfiguration(path: String, reason: String)
    /// A field of a configuration file is missing or has the wrong type or value.
    case invalidConfiguration(path: String, field: String, reason: String)
    /// The folder asks for something this encoder does not implement.
    case unsupported(path: String, field: String, found: String)
    /// The weights file failed validation.
    case weights(ModelFileError)
    /// The tokenizer failed to load.
    case tokenizer(TokenizerError)

    public var description: String {
        switch self {
        case .modelFolderNotFound(let path):
            return
                "embedding model folder not found at \(path); run `make models` to install the default model, or pass --model DIR with a sentence-transformers folder"
        case .missingFile(let path):
            return
                "\(path) is missing; the folder is not a complete sentence-transformers model (run `make models` for the default)"
        case .unreadableConfiguration(let path, let reason):
            return "\(path) \(reason)"
        case .invalidConfiguration(let path, let field, let reason):
            return "\(path): field '\(field)' \(reason)"
        case .unsupported(let path, let field, let found):
            return "\(path): '\(field)' is \(found), which this encoder does not support"
        case .weights(let error):
            return error.description
        case .tokenizer(let error):
            return error.description
        }
    }
}
