/// Where one GGUF tensor lives in its file and how it is encoded, as validated at open.
public struct GGUFTensorInfo: Sendable, Equatable {
    /// The name exactly as written in the file (`blk.0.attn_q.weight`).
    public let name: String
    /// Dimensions in ggml order, `ne[0]` first: `ne[0]` is the length of a row (the fastest-moving index),
    /// so a `[576, 49152]` matrix has 49,152 rows of 576 elements. This is the reverse of PyTorch's shape.
    public let dimensions: [Int]
    public let type: GGUFTensorType
    /// Absolute offset of the first byte in the file (the data section's start plus the stored offset).
    public let offset: Int
    /// The bytes the tensor occupies; nil when `type` is unsupported, so its size is unknown.
    public let byteCount: Int?

    public init(name: String, dimensions: [Int], type: GGUFTensorType, offset: Int, byteCount: Int?) {
        self.name = name
        self.dimensions = dimensions
        self.type = type
        self.offset = offset
        self.byteCount = byteCount
    }

    /// The product of the dimensions (1 for no dimensions); checked at open not to overflow.
    public var elementCount: Int { dimensions.reduce(1, *) }

    /// `ne[0]`, the elements in one row.
    public var rowLength: Int { dimensions.first ?? 1 }

    /// Absolute byte range in the file; nil when the type is unsupported.
    public var byteRange: Range<Int>? { byteCount.map { offset..<(offset + $0) } }
}
