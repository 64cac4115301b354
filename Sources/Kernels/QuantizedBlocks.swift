/// The binary layouts of one block of each block-quantised format, exactly as ggml writes them.
///
/// The kernels read blocks through byte offsets (a row of Q8_0 blocks is only 2-byte aligned),
/// so these structs are the documentation of the layout and the source of its constants; the
/// tests check that their sizes match the byte counts below. Scales are half-precision bit
/// patterns, converted with `halfToFloat`.

/// Q4_0: 32 values as 4-bit integers around 8 with one scale, 18 bytes.
///
/// Value k < 16 is the low nibble of byte k, value k ≥ 16 the high nibble of byte k − 16;
/// x = d·(q − 8).
public struct BlockQ4_0 {
    /// d, half precision.
    public var scale: UInt16
    public var nibbles: Bytes16

    /// Bytes per block.
    public static let byteCount = 18
    /// Where the nibbles start within a block.
    public static let nibblesOffset = 2
}

/// Q4_1: 32 values as 4-bit integers with a scale and an offset, 20 bytes.
///
/// Value k < 16 is the low nibble of byte k, value k ≥ 16 the high nibble of byte k − 16;
/// x = d·q + m.
public struct BlockQ4_1 {
    /// d, half precision.
    public var scale: UInt16
    /// m, half precision.
    public var offset: UInt16
    public var nibbles: Bytes16

    /// Bytes per block.
    public static let byteCount = 20
    /// Where the nibbles start within a block.
    public static let nibblesOffset = 4
}

/// Q8_0: 32 values as 8-bit signed integers with one scale, 34 bytes; x = d·q.
public struct BlockQ8_0 {
    /// d, half precision.
    public var scale: UInt16
    public var values: (Bytes16, Bytes16)

    /// Bytes per block.
    public static let byteCount = 34
    /// Where the values start within a block.
    public static let valuesOffset = 2
}

/// Sixteen bytes in a row, as a C array of 16 bytes is imported (alignment 1, so the blocks
/// above keep ggml's packed sizes).
public typealias Bytes16 = (
    UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8
)

/// Widens IEEE half-precision bits to a Float (exact; one `vcvtph2ps` with F16C).
@inlinable @inline(__always)
public func halfToFloat(_ bits: UInt16) -> Float {
    Float(Float16(bitPattern: bits))
}

/// Narrows a Float to IEEE half-precision bits, rounding to nearest even.
@inlinable @inline(__always)
public func floatToHalf(_ value: Float) -> UInt16 {
    Float16(value).bitPattern
}

/// Narrows `count` floats to half-precision bits (`vcvtps2ph` with F16C), rounding to nearest even.
/// - Complexity: O(count).
public func convertToHalves(_ x: UnsafePointer<Float>, count: Int, into out: UnsafeMutablePointer<UInt16>) {
    for index in 0..<count { out[index] = Float16(x[index]).bitPattern }
}

/// Widens `count` half-precision values to floats (exact).
/// - Complexity: O(count).
public func convertFromHalves(_ x: UnsafePointer<UInt16>, count: Int, into out: UnsafeMutablePointer<Float>) {
    for index in 0..<count { out[index] = Float(Float16(bitPattern: x[index])) }
}
