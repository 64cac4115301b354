/// The value types a GGUF metadata entry may have, with their ids as written in the file.
public enum GGUFValueType: UInt32, Sendable, CaseIterable, CustomStringConvertible {
    case uint8 = 0
    case int8 = 1
    case uint16 = 2
    case int16 = 3
    case uint32 = 4
    case int32 = 5
    case float32 = 6
    case bool = 7
    case string = 8
    case array = 9
    case uint64 = 10
    case int64 = 11
    case float64 = 12

    /// The name gguf-py gives the type, lowercased: `uint32`, `string`, `array`.
    public var description: String {
        switch self {
        case .uint8: return "uint8"
        case .int8: return "int8"
        case .uint16: return "uint16"
        case .int16: return "int16"
        case .uint32: return "uint32"
        case .int32: return "int32"
        case .float32: return "float32"
        case .bool: return "bool"
        case .string: return "string"
        case .array: return "array"
        case .uint64: return "uint64"
        case .int64: return "int64"
        case .float64: return "float64"
        }
    }

    /// The fewest bytes one value of this type can occupy, used to refuse a count the file cannot hold
    /// before anything is allocated: a string is at least its 8-byte length, an array its type and count.
    var minimumSize: Int {
        switch self {
        case .uint8, .int8, .bool: return 1
        case .uint16, .int16: return 2
        case .uint32, .int32, .float32: return 4
        case .uint64, .int64, .float64, .string: return 8
        case .array: return 12
        }
    }
}

/// One metadata value of a GGUF file, exactly as typed in the file.
///
/// The typed accessors of `GGUFFile` (`string(_:)`, `int(_:)`, …) are the convenient way in; this enum is
/// for callers that need the exact type, such as a converter that writes the value back.
public enum GGUFValue: Sendable, Equatable {
    case uint8(UInt8)
    case int8(Int8)
    case uint16(UInt16)
    case int16(Int16)
    case uint32(UInt32)
    case int32(Int32)
    case uint64(UInt64)
    case int64(Int64)
    case float32(Float)
    case float64(Double)
    case bool(Bool)
    case string(String)
    case array(GGUFArray)

    public var type: GGUFValueType {
        switch self {
        case .uint8: return .uint8
        case .int8: return .int8
        case .uint16: return .uint16
        case .int16: return .int16
        case .uint32: return .uint32
        case .int32: return .int32
        case .uint64: return .uint64
        case .int64: return .int64
        case .float32: return .float32
        case .float64: return .float64
        case .bool: return .bool
        case .string: return .string
        case .array: return .array
        }
    }

    /// The type as a person reads it in an error message: `uint32`, `array of string (49152)`.
    public var typeDescription: String {
        if case .array(let array) = self { return array.typeDescription }
        return type.description
    }
}

/// A metadata array: all elements share one type, stored unboxed so that a 49,152-entry vocabulary costs
/// one Swift array, not 49,152 enum values. Elements of an array of arrays may each have their own type.
public enum GGUFArray: Sendable, Equatable {
    case uint8([UInt8])
    case int8([Int8])
    case uint16([UInt16])
    case int16([Int16])
    case uint32([UInt32])
    case int32([Int32])
    case uint64([UInt64])
    case int64([Int64])
    case float32([Float])
    case float64([Double])
    case bool([Bool])
    case string([String])
    case array([GGUFArray])

    public var elementType: GGUFValueType {
        switch self {
        case .uint8: return .uint8
        case .int8: return .int8
        case .uint16: return .uint16
        case .int16: return .int16
        case .uint32: return .uint32
        case .int32: return .int32
        case .uint64: return .uint64
        case .int64: return .int64
        case .float32: return .float32
        case .float64: return .float64
        case .bool: return .bool
        case .string: return .string
        case .array: return .array
        }
    }

    public var count: Int {
        switch self {
        case .uint8(let values): return values.count
        case .int8(let values): return values.count
        case .uint16(let values): return values.count
        case .int16(let values): return values.count
        case .uint32(let values): return values.count
        case .int32(let values): return values.count
        case .uint64(let values): return values.count
        case .int64(let values): return values.count
        case .float32(let values): return values.count
        case .float64(let values): return values.count
        case .bool(let values): return values.count
        case .string(let values): return values.count
        case .array(let values): return values.count
        }
    }

    /// `array of string (49152)`.
    public var typeDescription: String {
        "array of \(elementType) (\(count))"
    }

    /// The elements as integers when they are integers of any width that fit in `Int`, else nil.
    public var integers: [Int]? {
        switch self {
        case .uint8(let values): return values.map(Int.init)
        case .int8(let values): return values.map(Int.init)
        case .uint16(let values): return values.map(Int.init)
        case .int16(let values): return values.map(Int.init)
        case .uint32(let values): return values.map(Int.init)
        case .int32(let values): return values.map(Int.init)
        case .int64(let values): return values.map(Int.init)
        case .uint64(let values):
            var result: [Int] = []
            result.reserveCapacity(values.count)
            for value in values {
                guard let integer = Int(exactly: value) else { return nil }
                result.append(integer)
            }
            return result
        default: return nil
        }
    }

    /// The elements as doubles when they are floats of either width, else nil.
    public var floats: [Double]? {
        switch self {
        case .float32(let values): return values.map(Double.init)
        case .float64(let values): return values
        default: return nil
        }
    }
}
