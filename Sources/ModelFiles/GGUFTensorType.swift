/// The element encoding of a GGUF tensor: ggml's type id, with the block layout that fixes its byte size.
///
/// Quantised types store elements in blocks (32 for Q4_0…Q8_1, 256 for the K-quants), each block a fixed
/// number of bytes, so a tensor's size is `elements / blockSize × bytesPerBlock`. Ids this reader does not
/// know are kept as `.unsupported(id)` rather than refused at open: a file may carry an exotic tensor the
/// caller never reads, and only reading that tensor's bytes throws.
///
/// Ids and sizes follow ggml (`ggml.h`, gguf-py `GGML_QUANT_SIZES`); removed ids (4, 5, 31–33, 36–38) are
/// unsupported. Case names spell `Q4_1` as `q4One` because identifiers here are lowerCamelCase.
public enum GGUFTensorType: Sendable, Hashable, CustomStringConvertible {
    case f32
    case f16
    case q4Zero
    case q4One
    case q5Zero
    case q5One
    case q8Zero
    case q8One
    case q2K
    case q3K
    case q4K
    case q5K
    case q6K
    case q8K
    case iq2XXS
    case iq2XS
    case iq3XXS
    case iq1S
    case iq4NL
    case iq3S
    case iq2S
    case iq4XS
    case i8
    case i16
    case i32
    case i64
    case f64
    case iq1M
    case bf16
    case tq1Zero
    case tq2Zero
    case mxfp4
    /// A type id this reader has no layout for.
    case unsupported(UInt32)

    /// Every type with a known layout, by ggml id: (type, id, name, elements per block, bytes per block).
    private static let layouts: [(type: GGUFTensorType, id: UInt32, name: String, block: Int, bytes: Int)] = [
        (.f32, 0, "F32", 1, 4),
        (.f16, 1, "F16", 1, 2),
        (.q4Zero, 2, "Q4_0", 32, 18),
        (.q4One, 3, "Q4_1", 32, 20),
        (.q5Zero, 6, "Q5_0", 32, 22),
        (.q5One, 7, "Q5_1", 32, 24),
        (.q8Zero, 8, "Q8_0", 32, 34),
        (.q8One, 9, "Q8_1", 32, 36),
        (.q2K, 10, "Q2_K", 256, 84),
        (.q3K, 11, "Q3_K", 256, 110),
        (.q4K, 12, "Q4_K", 256, 144),
        (.q5K, 13, "Q5_K", 256, 176),
        (.q6K, 14, "Q6_K", 256, 210),
        (.q8K, 15, "Q8_K", 256, 292),
        (.iq2XXS, 16, "IQ2_XXS", 256, 66),
        (.iq2XS, 17, "IQ2_XS", 256, 74),
        (.iq3XXS, 18, "IQ3_XXS", 256, 98),
        (.iq1S, 19, "IQ1_S", 256, 50),
        (.iq4NL, 20, "IQ4_NL", 32, 18),
        (.iq3S, 21, "IQ3_S", 256, 110),
        (.iq2S, 22, "IQ2_S", 256, 82),
        (.iq4XS, 23, "IQ4_XS", 256, 136),
        (.i8, 24, "I8", 1, 1),
        (.i16, 25, "I16", 1, 2),
        (.i32, 26, "I32", 1, 4),
        (.i64, 27, "I64", 1, 8),
        (.f64, 28, "F64", 1, 8),
        (.iq1M, 29, "IQ1_M", 256, 56),
        (.bf16, 30, "BF16", 1, 2),
        (.tq1Zero, 34, "TQ1_0", 256, 54),
        (.tq2Zero, 35, "TQ2_0", 256, 66),
        (.mxfp4, 39, "MXFP4", 32, 17),
    ]

    private static let byID: [UInt32: Int] = Dictionary(
        uniqueKeysWithValues: layouts.enumerated().map { ($0.element.id, $0.offset) })

    /// Every known type, in id order.
    public static var known: [GGUFTensorType] { layouts.map(\.type) }

    /// The known names, for error messages.
    static var knownNames: String { layouts.map(\.name).joined(separator: ", ") }

    /// The type with ggml id `id`; `.unsupported(id)` when the id has no known layout.
    public init(id: UInt32) {
        self = Self.byID[id].map { Self.layouts[$0].type } ?? .unsupported(id)
    }

    private var layout: (type: GGUFTensorType, id: UInt32, name: String, block: Int, bytes: Int)? {
        if case .unsupported = self { return nil }
        return Self.layouts.first { $0.type == self }
    }

    /// The ggml type id, as written in the file.
    public var id: UInt32 {
        if case .unsupported(let id) = self { return id }
        return layout?.id ?? 0
    }

    /// The ggml spelling, such as `Q4_1`; `type 99` for an unsupported id.
    public var name: String {
        layout?.name ?? "type \(id)"
    }

    public var description: String { name }

    /// Elements per block (1 for plain types), or nil when unsupported.
    public var blockSize: Int? { layout?.block }

    /// Bytes per block, or nil when unsupported.
    public var bytesPerBlock: Int? { layout?.bytes }
}
