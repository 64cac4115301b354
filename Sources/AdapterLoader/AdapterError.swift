/// Why an adapter folder cannot be applied to a base model, with what to change.
public enum AdapterError: Error, CustomStringConvertible, Equatable {
    /// A file of the adapter folder is missing or unreadable.
    case unreadable(path: String, reason: String)
    /// `adapter_config.json` is not valid JSON or a field has the wrong type or value.
    case invalidConfiguration(path: String, field: String, reason: String)
    /// An option this runtime cannot apply correctly (DoRA, modules_to_save, biases, ...).
    case unsupportedOption(path: String, field: String, reason: String)
    /// A tensor name that is not a LoRA A/B matrix of a supported projection.
    case unsupportedTensor(path: String, tensor: String, reason: String)
    /// A tensor whose shape does not fit the base model or the configured rank.
    case shapeMismatch(path: String, tensor: String, expected: [Int], found: [Int])
    /// A tensor that holds NaN or infinity.
    case nonFiniteWeights(path: String, tensor: String)
    /// lora_A without lora_B or the other way round.
    case unpairedTensor(path: String, tensor: String)

    public var description: String {
        switch self {
        case .unreadable(let path, let reason):
            return "\(path): \(reason)"
        case .invalidConfiguration(let path, let field, let reason):
            return "\(path): '\(field)' \(reason)"
        case .unsupportedOption(let path, let field, let reason):
            return "\(path): '\(field)' is not supported: \(reason)"
        case .unsupportedTensor(let path, let tensor, let reason):
            return "\(path): tensor '\(tensor)' cannot be applied: \(reason)"
        case .shapeMismatch(let path, let tensor, let expected, let found):
            return "\(path): tensor '\(tensor)' has shape \(found), the base model needs \(expected); "
                + "the adapter was trained for another base model or another rank"
        case .nonFiniteWeights(let path, let tensor):
            return "\(path): tensor '\(tensor)' holds NaN or infinite values; the adapter is damaged"
        case .unpairedTensor(let path, let tensor):
            return "\(path): tensor '\(tensor)' has no lora_A/lora_B partner"
        }
    }
}
