/// Dot products of one stored row with a float vector: the reference twin of the int8 kernels.

/// Σ row[i]·x[i] over `columns` values, with the row dequantised to single precision first.
///
/// Equal to `dequantizeRow` followed by a float dot product, up to the order of the sums: the
/// row is dequantised 256 values at a time into a stack buffer that stays in L1, then multiplied
/// with 16-lane fused multiply-adds. This is the exact path (it matches a PyTorch float32
/// reference to summation order); `dotInt8` is the fast one.
/// - Complexity: O(columns).
@inline(__always)
func dotReference(
    _ row: UnsafeRawPointer, format: QuantizationFormat, columns: Int, _ x: UnsafePointer<Float>
) -> Float {
    if format == .f32 { return dot(row.assumingMemoryBound(to: Float.self), x, count: columns) }
    let chunk = 256  // a multiple of every block size
    return withUnsafeTemporaryAllocation(of: Float.self, capacity: chunk) { buffer in
        let values = buffer.baseAddress!
        var sum: Float = 0
        var start = 0
        while start < columns {
            let count = min(chunk, columns - start)
            let offset = start / format.blockSize * format.bytesPerBlock
            dequantizeRow(row + offset, format: format, columns: count, into: values)
            sum += dot(values, x + start, count: count)
            start += count
        }
        return sum
    }
}

/// Σ a[i]·b[i] in single precision, 32 lanes at a time in two accumulators.
/// - Complexity: O(count).
@inline(__always)
func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Float {
    let rawA = UnsafeRawPointer(a)
    let rawB = UnsafeRawPointer(b)
    var sum0 = Float16x(repeating: 0)
    var sum1 = Float16x(repeating: 0)
    var index = 0
    while index + 32 <= count {
        sum0.addProduct(
            rawA.loadUnaligned(fromByteOffset: index * 4, as: Float16x.self),
            rawB.loadUnaligned(fromByteOffset: index * 4, as: Float16x.self))
        sum1.addProduct(
            rawA.loadUnaligned(fromByteOffset: index * 4 + 64, as: Float16x.self),
            rawB.loadUnaligned(fromByteOffset: index * 4 + 64, as: Float16x.self))
        index += 32
    }
    if index + 16 <= count {
        sum0.addProduct(
            rawA.loadUnaligned(fromByteOffset: index * 4, as: Float16x.self),
            rawB.loadUnaligned(fromByteOffset: index * 4, as: Float16x.self))
        index += 16
    }
    var sum = horizontalSum(sum0 + sum1)
    while index < count {
        sum += a[index] * b[index]
        index += 1
    }
    return sum
}

/// The sum of the 16 lanes, as a tree of halves (four vector adds instead of fifteen scalar ones).
@inlinable @inline(__always)
public func horizontalSum(_ v: Float16x) -> Float {
    let eight = v.lowHalf + v.highHalf
    let four = eight.lowHalf + eight.highHalf
    let two = four.lowHalf + four.highHalf
    return two.x + two.y
}
