/// Dequantisation of rows: the reference every quantised kernel is tested against.
///
/// Exact in single precision for every format: a half-precision scale has an 11-bit significand
/// and q at most 8 bits, so d·q is exact and x = d·q + m rounds once, as ggml's and gguf-py's
/// dequantisers do; the result is the same whether the compiler fuses the multiply-add or not.
/// The loops are plain scalar loops over bytes, which the compiler vectorises (AVX2 widening
/// loads, `vcvtdq2ps`, `vcvtph2ps`). Block sizes and offsets are written as numbers (those of
/// `BlockQ4_0`, `BlockQ4_1`, `BlockQ8_0`; 32 values per block) so that the loops compile to
/// constants in every build mode, debug builds compiling one file at a time included.

/// Writes the `columns` values of one row stored in `format` to `out`.
///
/// `columns` must divide into whole blocks (checked where a `QuantizedMatrix` is made).
/// - Complexity: O(columns).
@inline(__always)
func dequantizeRow(
    _ row: UnsafeRawPointer, format: QuantizationFormat, columns: Int, into out: UnsafeMutablePointer<Float>
) {
    switch format {
    case .f32:
        out.update(from: row.assumingMemoryBound(to: Float.self), count: columns)
    case .f16:
        let halves = row.assumingMemoryBound(to: UInt16.self)
        for index in 0..<columns { out[index] = Float(Float16(bitPattern: halves[index])) }
    case .q40:
        for block in 0..<(columns / 32) { dequantizeQ40Block(row + block * 18, into: out + block * 32) }
    case .q41:
        for block in 0..<(columns / 32) { dequantizeQ41Block(row + block * 20, into: out + block * 32) }
    case .q80:
        for block in 0..<(columns / 32) { dequantizeQ80Block(row + block * 34, into: out + block * 32) }
    }
}

/// One Q4_0 block: x = d·(q − 8).
@inline(__always)
func dequantizeQ40Block(_ block: UnsafeRawPointer, into out: UnsafeMutablePointer<Float>) {
    dequantizeQ40Values(scale: block.loadUnaligned(as: UInt16.self), nibbles: block + 2, into: out)
}

/// A Q4_0 block given as its scale bits and its 16 bytes of nibbles, wherever they are stored.
@inline(__always)
func dequantizeQ40Values(scale: UInt16, nibbles raw: UnsafeRawPointer, into out: UnsafeMutablePointer<Float>) {
    let d = Float(Float16(bitPattern: scale))
    let nibbles = raw.assumingMemoryBound(to: UInt8.self)
    for index in 0..<16 {
        out[index] = Float(Int32(nibbles[index] & 15) - 8) * d
        out[index + 16] = Float(Int32(nibbles[index] >> 4) - 8) * d
    }
}

/// One Q4_1 block: x = d·q + m.
@inline(__always)
func dequantizeQ41Block(_ block: UnsafeRawPointer, into out: UnsafeMutablePointer<Float>) {
    dequantizeQ41Values(
        scale: block.loadUnaligned(as: UInt16.self), minimum: block.loadUnaligned(fromByteOffset: 2, as: UInt16.self),
        nibbles: block + 4, into: out)
}

/// A Q4_1 block given as its scale and minimum bits and its 16 bytes of nibbles.
@inline(__always)
func dequantizeQ41Values(
    scale: UInt16, minimum: UInt16, nibbles raw: UnsafeRawPointer, into out: UnsafeMutablePointer<Float>
) {
    let d = Float(Float16(bitPattern: scale))
    let m = Float(Float16(bitPattern: minimum))
    let nibbles = raw.assumingMemoryBound(to: UInt8.self)
    for index in 0..<16 {
        out[index] = Float(nibbles[index] & 15) * d + m
        out[index + 16] = Float(nibbles[index] >> 4) * d + m
    }
}

/// One Q8_0 block: x = d·q.
@inline(__always)
func dequantizeQ80Block(_ block: UnsafeRawPointer, into out: UnsafeMutablePointer<Float>) {
    dequantizeQ80Values(scale: block.loadUnaligned(as: UInt16.self), values: block + 2, into: out)
}

/// A Q8_0 block given as its scale bits and its 32 values.
@inline(__always)
func dequantizeQ80Values(scale: UInt16, values raw: UnsafeRawPointer, into out: UnsafeMutablePointer<Float>) {
    let d = Float(Float16(bitPattern: scale))
    let values = raw.assumingMemoryBound(to: Int8.self)
    for index in 0..<32 { out[index] = Float(values[index]) * d }
}
