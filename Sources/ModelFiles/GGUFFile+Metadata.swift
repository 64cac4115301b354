/// Typed access to GGUF metadata: each accessor says what it needs, and throws naming the key and the file
/// when the key is missing (`.metadataNotFound`) or holds another type (`.metadataTypeMismatch`).
///
/// Integers are accepted at any width and signedness that fits `Int`, and floats at either width, because
/// converters differ (`llama.block_count` is `uint32` in one file and `int32` in another); a bool is never an
/// integer and a float is never an integer.
extension GGUFFile {
    /// Whether the file has metadata `key`.
    public func contains(_ key: String) -> Bool {
        metadata[key] != nil
    }

    /// The raw value of `key`.
    public func value(_ key: String) throws(ModelFileError) -> GGUFValue {
        guard let value = metadata[key] else { throw .metadataNotFound(path: path, key: key) }
        return value
    }

    public func string(_ key: String) throws(ModelFileError) -> String {
        let value = try value(key)
        guard case .string(let string) = value else { throw mismatch(key, expected: "string", found: value) }
        return string
    }

    /// An integer of any width that fits `Int`.
    public func int(_ key: String) throws(ModelFileError) -> Int {
        let value = try value(key)
        let integer: Int?
        switch value {
        case .uint8(let number): integer = Int(number)
        case .int8(let number): integer = Int(number)
        case .uint16(let number): integer = Int(number)
        case .int16(let number): integer = Int(number)
        case .uint32(let number): integer = Int(number)
        case .int32(let number): integer = Int(number)
        case .uint64(let number): integer = Int(exactly: number)
        case .int64(let number): integer = Int(number)
        default: throw mismatch(key, expected: "an integer", found: value)
        }
        guard let integer else {
            throw .invalidMetadata(path: path, key: key, reason: "\(value) does not fit in a signed 64-bit integer")
        }
        return integer
    }

    /// A `float32` or `float64`, widened to `Double` (exactly).
    public func float(_ key: String) throws(ModelFileError) -> Double {
        let value = try value(key)
        switch value {
        case .float32(let number): return Double(number)
        case .float64(let number): return number
        default: throw mismatch(key, expected: "a float", found: value)
        }
    }

    public func bool(_ key: String) throws(ModelFileError) -> Bool {
        let value = try value(key)
        guard case .bool(let flag) = value else { throw mismatch(key, expected: "bool", found: value) }
        return flag
    }

    public func array(_ key: String) throws(ModelFileError) -> GGUFArray {
        let value = try value(key)
        guard case .array(let array) = value else { throw mismatch(key, expected: "an array", found: value) }
        return array
    }

    public func stringArray(_ key: String) throws(ModelFileError) -> [String] {
        let array = try array(key)
        guard case .string(let strings) = array else {
            throw mismatch(key, expected: "an array of string", found: .array(array))
        }
        return strings
    }

    /// An array of integers of any one width, each fitting `Int`.
    public func intArray(_ key: String) throws(ModelFileError) -> [Int] {
        let array = try array(key)
        guard let integers = array.integers else {
            throw mismatch(key, expected: "an array of integers", found: .array(array))
        }
        return integers
    }

    /// An array of `float32` or `float64`, widened to `Double`.
    public func floatArray(_ key: String) throws(ModelFileError) -> [Double] {
        let array = try array(key)
        guard let floats = array.floats else {
            throw mismatch(key, expected: "an array of floats", found: .array(array))
        }
        return floats
    }

    // MARK: - Optional keys

    /// `string(key)`, or `fallback` when the key is absent (a present key of another type still throws).
    public func string(_ key: String, default fallback: String) throws(ModelFileError) -> String {
        contains(key) ? try string(key) : fallback
    }

    public func int(_ key: String, default fallback: Int) throws(ModelFileError) -> Int {
        contains(key) ? try int(key) : fallback
    }

    public func float(_ key: String, default fallback: Double) throws(ModelFileError) -> Double {
        contains(key) ? try float(key) : fallback
    }

    public func bool(_ key: String, default fallback: Bool) throws(ModelFileError) -> Bool {
        contains(key) ? try bool(key) : fallback
    }

    private func mismatch(_ key: String, expected: String, found: GGUFValue) -> ModelFileError {
        .metadataTypeMismatch(path: path, key: key, expected: expected, found: found.typeDescription)
    }
}
