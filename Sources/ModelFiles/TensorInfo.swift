/// Where one tensor lives in its file and how to read it, as validated from the header.
public struct TensorInfo: Sendable, Equatable {
    /// The name exactly as written in the file; mapping checkpoint names is the model's business, not ours.
    public let name: String
    public let dtype: TensorDType
    /// Dimensions, outermost first (row-major); `[]` is a scalar, and any dimension may be 0.
    public let shape: [Int]
    /// Absolute byte offsets in the file (not relative to the data section), so a reader needs no other context.
    public let byteRange: Range<Int>

    public init(name: String, dtype: TensorDType, shape: [Int], byteRange: Range<Int>) {
        self.name = name
        self.dtype = dtype
        self.shape = shape
        self.byteRange = byteRange
    }

    /// The product of the dimensions (1 for a scalar). The header parser has checked that it does not overflow.
    public var elementCount: Int {
        shape.reduce(1, *)
    }
}
