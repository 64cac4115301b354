/// What can go wrong loading or running a language model, with what the user needs to fix it.
public enum LanguageModelError: Error, CustomStringConvertible, Equatable {
    /// The file could not be read as GGUF (missing, truncated, malformed); the reader's message.
    case unreadableFile(String)
    /// The model's architecture is not one this runtime implements.
    case unsupportedArchitecture(path: String, architecture: String)
    /// A tensor the architecture needs is not in the file.
    case missingTensor(path: String, name: String)
    /// A tensor is stored in an encoding the kernels cannot multiply.
    case unsupportedTensorType(path: String, name: String, type: String)
    /// A tensor's shape disagrees with the model's metadata.
    case shapeMismatch(path: String, name: String, expected: [Int], found: [Int])
    /// A metadata value is missing or out of range.
    case invalidMetadata(path: String, key: String, reason: String)
    /// The prompt and the tokens to generate do not fit the context window.
    case contextExceeded(promptTokens: Int, maxNewTokens: Int, contextLength: Int)
    /// Generation needs at least one prompt token.
    case emptyPrompt
    /// A token id outside the vocabulary.
    case invalidToken(id: Int, vocabularySize: Int)
    /// A generation option out of range.
    case invalidOption(String)
    /// The tokenizer or chat template in the file cannot be used.
    case tokenizer(String)

    public var description: String {
        switch self {
        case .unreadableFile(let message):
            return message
        case .unsupportedArchitecture(let path, let architecture):
            return "\(path): architecture '\(architecture)' is not supported (supported: llama, qwen2)"
        case .missingTensor(let path, let name):
            return "\(path): tensor '\(name)' is missing; the file is incomplete or not a llama-family model"
        case .unsupportedTensorType(let path, let name, let type):
            return "\(path): tensor '\(name)' is \(type); supported types are F32, F16, Q4_0, Q4_1 and Q8_0 "
                + "(re-quantise the model to one of them)"
        case .shapeMismatch(let path, let name, let expected, let found):
            return "\(path): tensor '\(name)' has shape \(found), the metadata implies \(expected)"
        case .invalidMetadata(let path, let key, let reason):
            return "\(path): metadata '\(key)' \(reason)"
        case .contextExceeded(let prompt, let new, let context):
            return "the prompt has \(prompt) tokens and up to \(new) more were asked for, but the model's context "
                + "holds \(context); shorten the prompt or lower max_tokens"
        case .emptyPrompt:
            return "the prompt is empty: give at least one token"
        case .invalidToken(let id, let size):
            return "token id \(id) is outside the vocabulary of \(size)"
        case .invalidOption(let message):
            return message
        case .tokenizer(let message):
            return message
        }
    }
}
