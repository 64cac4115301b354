/// Root-mean-square normalisation over the rows of a row-major matrix (llama's RMSNorm).

/// out[r] = x[r] / √(mean(x[r]²) + ε) ⊙ weight, for each of `rows` rows of `width` floats.
///
/// The order of operations is the one of Hugging Face's `LlamaRMSNorm` (x scaled by the inverse
/// root first, then by the weight), in single precision; the sum of squares runs over 16
/// lanes in float and across lanes in double, like `layerNormRows`. `out` may be `x`.
/// - Parameters:
///   - x: rows × width, `stride` apart (default width).
///   - out: rows × width, the same `stride` apart.
///   - weight: width floats.
/// - Complexity: O(rows · width).
public func rmsNormRows(
    _ x: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>, rows: Int, width: Int, stride: Int? = nil,
    weight: UnsafePointer<Float>, epsilon: Float
) {
    let stride = stride ?? width
    for row in 0..<rows {
        rmsNormRow(x + row * stride, into: out + row * stride, width: width, weight: weight, epsilon: epsilon)
    }
}

@inline(__always)
private func rmsNormRow(
    _ x: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>, width: Int, weight: UnsafePointer<Float>,
    epsilon: Float
) {
    let raw = UnsafeRawPointer(x)
    var squares16 = Float16x(repeating: 0)
    var index = 0
    while index + 16 <= width {
        let value = raw.loadUnaligned(fromByteOffset: index * 4, as: Float16x.self)
        squares16.addProduct(value, value)
        index += 16
    }
    var squares = 0.0
    for lane in 0..<16 { squares += Double(squares16[lane]) }
    for tail in index..<width { squares += Double(x[tail] * x[tail]) }
    let meanSquare = Float(squares / Double(width))
    let inverse = 1 / (meanSquare + epsilon).squareRoot()

    let outRaw = UnsafeMutableRawPointer(out)
    let weightRaw = UnsafeRawPointer(weight)
    index = 0
    while index + 16 <= width {
        let value = raw.loadUnaligned(fromByteOffset: index * 4, as: Float16x.self)
        let scale = weightRaw.loadUnaligned(fromByteOffset: index * 4, as: Float16x.self)
        outRaw.storeBytes(of: value * inverse * scale, toByteOffset: index * 4, as: Float16x.self)
        index += 16
    }
    for tail in index..<width { out[tail] = x[tail] * inverse * weight[tail] }
}

/// The scalar reference for one row of `rmsNormRows`, in double precision.
public func rmsNormReference(_ row: [Float], weight: [Float], epsilon: Float) -> [Float] {
    let meanSquare = row.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(row.count)
    let inverse = 1 / (meanSquare + Double(epsilon)).squareRoot()
    return row.indices.map { Float(Double(row[$0]) * inverse * Double(weight[$0])) }
}
