/// Everything that can go wrong while opening or reading a model file.
///
/// One enum for the whole module (safetensors and GGUF), so callers catch one type. Data read from a
/// file is never trusted: every check that fails ends here, never in a trap. Each case carries the file's path
/// and, where one is involved, the tensor's name, and `description` says what was expected versus what was
/// found, so the message alone is enough to fix the file or the call.
public enum ModelFileError: Error, CustomStringConvertible, Equatable {
    /// Nothing exists at `path`.
    case fileNotFound(path: String)
    /// The file exists but cannot be opened, inspected or mapped (permissions, a directory, an I/O error).
    case unreadable(path: String, reason: String)
    /// The file ends before a structure that must be there; usually an interrupted download.
    case truncated(path: String, expectedBytes: Int, foundBytes: Int)
    /// The header as a whole is malformed: its length, its JSON, or its `__metadata__`.
    case invalidHeader(path: String, reason: String)
    /// One tensor's entry is malformed or inconsistent with the rest of the file.
    case invalidTensor(path: String, tensor: String, reason: String)
    /// A tensor's dtype is not one of `TensorDType`'s spellings.
    case unknownDType(path: String, tensor: String, dtype: String)
    /// No tensor has this name; `closeMatch` is the nearest existing name, when one is near enough to suggest.
    case tensorNotFound(path: String, tensor: String, closeMatch: String? = nil)
    /// The tensor exists but the requested conversion does not support its dtype.
    case unsupportedDType(path: String, tensor: String, dtype: TensorDType)
    /// The tensor's shape is not the one the caller requires.
    case shapeMismatch(path: String, tensor: String, expected: [Int], found: [Int])
    /// One GGUF metadata entry is malformed: an unknown value type, an absurd count, invalid UTF-8.
    case invalidMetadata(path: String, key: String, reason: String)
    /// The caller needs a GGUF metadata key that the file does not have.
    case metadataNotFound(path: String, key: String)
    /// The GGUF metadata key holds a value of another type than the caller needs.
    case metadataTypeMismatch(path: String, key: String, expected: String, found: String)
    /// The tensor's GGUF type id is not one this reader knows, so its size and bytes are unknown.
    case unsupportedTensorType(path: String, tensor: String, typeID: UInt32)

    public var description: String {
        switch self {
        case .fileNotFound(let path):
            return "\(path): no such file (the default models are fetched by `make models`)"
        case .unreadable(let path, let reason):
            return "\(path): cannot read the file: \(reason)"
        case .truncated(let path, let expectedBytes, let foundBytes):
            return "\(path): file is truncated: expected at least \(expectedBytes) bytes, found \(foundBytes)"
        case .invalidHeader(let path, let reason):
            return "\(path): invalid header: \(reason)"
        case .invalidTensor(let path, let tensor, let reason):
            return "tensor '\(tensor)' in \(path): \(reason)"
        case .unknownDType(let path, let tensor, let dtype):
            let known = TensorDType.allCases.map(\.rawValue).joined(separator: ", ")
            return "tensor '\(tensor)' in \(path): unknown dtype '\(dtype)', expected one of \(known)"
        case .tensorNotFound(let path, let tensor, let closeMatch):
            let hint = closeMatch.map { "; did you mean '\($0)'?" } ?? ""
            return "tensor '\(tensor)' not found in \(path)\(hint)"
        case .unsupportedDType(let path, let tensor, let dtype):
            return "tensor '\(tensor)' in \(path): dtype \(dtype.rawValue) cannot be read as floats, "
                + "expected F32, F16 or BF16"
        case .shapeMismatch(let path, let tensor, let expected, let found):
            return "tensor '\(tensor)' in \(path): shape \(found), expected \(expected)"
        case .invalidMetadata(let path, let key, let reason):
            return "metadata '\(key)' in \(path): \(reason)"
        case .metadataNotFound(let path, let key):
            return "metadata '\(key)' not found in \(path); is this the right kind of model file?"
        case .metadataTypeMismatch(let path, let key, let expected, let found):
            return "metadata '\(key)' in \(path): expected \(expected), found \(found)"
        case .unsupportedTensorType(let path, let tensor, let typeID):
            return "tensor '\(tensor)' in \(path): GGUF tensor type \(typeID) is not supported by this reader, "
                + "expected one of \(GGUFTensorType.knownNames)"
        }
    }
}
