/// Everything a caller can get wrong when handing data to the kernels.
///
/// Shapes and byte counts usually come from a model file, so a mismatch is reported, never trapped:
/// the loader adds the tensor's name and passes the error on. Each case says what was expected
/// versus what was found.
public enum KernelError: Error, CustomStringConvertible, Equatable, Sendable {
    /// A row of a block-quantised format must hold whole blocks.
    case rowLengthNotBlockMultiple(format: QuantizationFormat, columns: Int, blockSize: Int)
    /// A dimension is negative, or zero where at least one element is needed.
    case invalidDimension(name: String, value: Int)
    /// A parameter is outside the range it must be in.
    case invalidValue(name: String, value: Float, expected: String)
    /// F32 and F16 values are read as whole floats and halves, so their rows must start on a
    /// multiple of the element size (GGUF and safetensors align tensors far more than that).
    case misaligned(format: QuantizationFormat, alignment: Int)
    /// The bytes handed over do not match the shape and the format.
    case byteCountMismatch(format: QuantizationFormat, rows: Int, columns: Int, expected: Int, found: Int)

    public var description: String {
        switch self {
        case .rowLengthNotBlockMultiple(let format, let columns, let blockSize):
            return
                "a \(format.rawValue) row of \(columns) values does not divide into blocks of \(blockSize); "
                + "the row length must be a multiple of \(blockSize)"
        case .invalidDimension(let name, let value):
            return "\(name) must be 1 or more, found \(value)"
        case .invalidValue(let name, let value, let expected):
            return "\(name) must be \(expected), found \(value)"
        case .misaligned(let format, let alignment):
            return "\(format.rawValue) data must start at an address that is a multiple of \(alignment)"
        case .byteCountMismatch(let format, let rows, let columns, let expected, let found):
            return "a \(rows)×\(columns) \(format.rawValue) matrix takes \(expected) bytes, found \(found)"
        }
    }
}
