/// Reads the key–value section of a GGUF file: `count` entries of key string, `uint32` value type, value.
///
/// Nothing is allocated from a count before the count is checked against the bytes left (a hostile
/// `2^60`-element array is an error, not an allocation), nesting of arrays is bounded (a file of nested array
/// headers would otherwise recurse the stack away), and every failure names the key it happened in.
enum GGUFMetadataReader {
    /// Arrays of arrays deeper than this are refused; real files nest at most once.
    static let maximumNesting = 8

    /// Reads `count` entries; a key that appears twice is an error, as in ggml's reader.
    static func read(
        count: Int, from cursor: inout GGUFCursor
    ) throws(ModelFileError) -> (values: [String: GGUFValue], keys: [String]) {
        // A key is at least its 8-byte length, a 4-byte type and a 1-byte value.
        guard count <= cursor.remaining / 13 else {
            throw .invalidHeader(
                path: cursor.path,
                reason: "the header declares \(count) metadata entries, but the \(cursor.remaining) bytes left "
                    + "hold at most \(cursor.remaining / 13)")
        }
        var values: [String: GGUFValue] = [:]
        var keys: [String] = []
        values.reserveCapacity(count)
        keys.reserveCapacity(count)
        for index in 0..<count {
            guard let key = try cursor.readString() else {
                throw .invalidHeader(path: cursor.path, reason: "the key of metadata entry \(index) is not valid UTF-8")
            }
            guard values[key] == nil else {
                throw .invalidMetadata(path: cursor.path, key: key, reason: "appears twice, expected once")
            }
            let value: GGUFValue
            do throws(ModelFileError) {
                value = try readValue(of: readType(from: &cursor, key: key), key: key, from: &cursor)
            } catch .truncated(_, let expected, let found) {
                throw .invalidMetadata(
                    path: cursor.path, key: key,
                    reason: "the value runs past the end of the file (needs \(expected) bytes, the file has "
                        + "\(found); truncated download?)")
            }
            values[key] = value
            keys.append(key)
        }
        return (values, keys)
    }

    private static func readType(from cursor: inout GGUFCursor, key: String) throws(ModelFileError) -> GGUFValueType {
        let raw = try cursor.read(UInt32.self)
        guard let type = GGUFValueType(rawValue: raw) else {
            throw .invalidMetadata(
                path: cursor.path, key: key,
                reason: "unknown value type \(raw), expected 0 to \(GGUFValueType.allCases.count - 1)")
        }
        return type
    }

    private static func readValue(
        of type: GGUFValueType, key: String, from cursor: inout GGUFCursor
    ) throws(ModelFileError) -> GGUFValue {
        switch type {
        case .uint8: return .uint8(try cursor.read(UInt8.self))
        case .int8: return .int8(try cursor.read(Int8.self))
        case .uint16: return .uint16(try cursor.read(UInt16.self))
        case .int16: return .int16(try cursor.read(Int16.self))
        case .uint32: return .uint32(try cursor.read(UInt32.self))
        case .int32: return .int32(try cursor.read(Int32.self))
        case .uint64: return .uint64(try cursor.read(UInt64.self))
        case .int64: return .int64(try cursor.read(Int64.self))
        case .float32: return .float32(try cursor.readFloat32())
        case .float64: return .float64(try cursor.readFloat64())
        case .bool: return .bool(try readBool(from: &cursor, key: key))
        case .string: return .string(try readString(from: &cursor, key: key))
        case .array: return .array(try readArray(key: key, depth: 1, from: &cursor))
        }
    }

    /// A bool is one byte, 0 or 1; anything else means the reader has lost its place in the file.
    private static func readBool(from cursor: inout GGUFCursor, key: String) throws(ModelFileError) -> Bool {
        let byte = try cursor.read(UInt8.self)
        guard byte <= 1 else {
            throw .invalidMetadata(path: cursor.path, key: key, reason: "bool byte is \(byte), expected 0 or 1")
        }
        return byte == 1
    }

    private static func readString(from cursor: inout GGUFCursor, key: String) throws(ModelFileError) -> String {
        guard let string = try cursor.readString() else {
            throw .invalidMetadata(path: cursor.path, key: key, reason: "a string is not valid UTF-8")
        }
        return string
    }

    private static func readArray(
        key: String, depth: Int, from cursor: inout GGUFCursor
    ) throws(ModelFileError) -> GGUFArray {
        guard depth <= maximumNesting else {
            throw .invalidMetadata(
                path: cursor.path, key: key,
                reason: "arrays nest deeper than \(maximumNesting) levels; the file is damaged")
        }
        let type = try readType(from: &cursor, key: key)
        let rawCount = try cursor.read(UInt64.self)
        let capacity = cursor.remaining / type.minimumSize
        guard let count = Int(exactly: rawCount), count <= capacity else {
            throw .invalidMetadata(
                path: cursor.path, key: key,
                reason: "an array of \(type) declares \(rawCount) elements, but the \(cursor.remaining) bytes "
                    + "left hold at most \(capacity)")
        }
        func elements<T>(_ read: (inout GGUFCursor) throws(ModelFileError) -> T) throws(ModelFileError) -> [T] {
            var values: [T] = []
            values.reserveCapacity(count)
            for _ in 0..<count { values.append(try read(&cursor)) }
            return values
        }
        switch type {
        case .uint8: return .uint8(try elements { (c) throws(ModelFileError) in try c.read(UInt8.self) })
        case .int8: return .int8(try elements { (c) throws(ModelFileError) in try c.read(Int8.self) })
        case .uint16: return .uint16(try elements { (c) throws(ModelFileError) in try c.read(UInt16.self) })
        case .int16: return .int16(try elements { (c) throws(ModelFileError) in try c.read(Int16.self) })
        case .uint32: return .uint32(try elements { (c) throws(ModelFileError) in try c.read(UInt32.self) })
        case .int32: return .int32(try elements { (c) throws(ModelFileError) in try c.read(Int32.self) })
        case .uint64: return .uint64(try elements { (c) throws(ModelFileError) in try c.read(UInt64.self) })
        case .int64: return .int64(try elements { (c) throws(ModelFileError) in try c.read(Int64.self) })
        case .float32: return .float32(try elements { (c) throws(ModelFileError) in try c.readFloat32() })
        case .float64: return .float64(try elements { (c) throws(ModelFileError) in try c.readFloat64() })
        case .bool: return .bool(try elements { (c) throws(ModelFileError) in try readBool(from: &c, key: key) })
        case .string: return .string(try elements { (c) throws(ModelFileError) in try readString(from: &c, key: key) })
        case .array:
            return .array(
                try elements { (c) throws(ModelFileError) in try readArray(key: key, depth: depth + 1, from: &c) })
        }
    }
}
