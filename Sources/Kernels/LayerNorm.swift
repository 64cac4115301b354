/// Layer normalisation over the rows of a row-major matrix, optionally after adding a residual.

/// x[r] ← LayerNorm(x[r] + residual[r]) · gamma + beta for each of `rows` rows of `width` floats.
///
/// BERT normalises after every residual connection; fusing the addition saves one pass over
/// the activations. Statistics are accumulated in float over 16 lanes, then in double across
/// lanes, matching PyTorch's float32 LayerNorm to ~1e-7.
/// - Parameters:
///   - x: rows × width, overwritten with the result.
///   - residual: rows × width added first, or nil.
///   - gamma, beta: width floats each.
/// - Complexity: O(rows · width).
public func layerNormRows(
    _ x: UnsafeMutablePointer<Float>, residual: UnsafePointer<Float>?, rows: Int, width: Int,
    gamma: UnsafePointer<Float>, beta: UnsafePointer<Float>, epsilon: Float
) {
    for row in 0..<rows {
        let line = x + row * width
        if let residual {
            addInPlace(line, residual + row * width, count: width)
        }
        normalizeRow(line, width: width, gamma: gamma, beta: beta, epsilon: epsilon)
    }
}

@inline(__always)
func normalizeRow(
    _ line: UnsafeMutablePointer<Float>, width: Int, gamma: UnsafePointer<Float>,
    beta: UnsafePointer<Float>, epsilon: Float
) {
    let raw = UnsafeMutableRawPointer(line)
    var sum16 = Float16x(repeating: 0)
    var index = 0
    while index + 16 <= width {
        sum16 += raw.loadUnaligned(fromByteOffset: index * 4, as: Float16x.self)
        index += 16
    }
    var sum = Double(sum16.sum())
    for tail in index..<width { sum += Double(line[tail]) }
    let mean = Float(sum / Double(width))

    var square16 = Float16x(repeating: 0)
    index = 0
    while index + 16 <= width {
        let centered = raw.loadUnaligned(fromByteOffset: index * 4, as: Float16x.self) - mean
        square16 += centered * centered
        index += 16
    }
    var squares = Double(square16.sum())
    for tail in index..<width {
        let centered = line[tail] - mean
        squares += Double(centered * centered)
    }
    let inverse = Float(1 / (squares / Double(width) + Double(epsilon)).squareRoot())

    let gammaRaw = UnsafeRawPointer(gamma)
    let betaRaw = UnsafeRawPointer(beta)
    index = 0
    while index + 16 <= width {
        let value = raw.loadUnaligned(fromByteOffset: index * 4, as: Float16x.self)
        let g = gammaRaw.loadUnaligned(fromByteOffset: index * 4, as: Float16x.self)
        let b = betaRaw.loadUnaligned(fromByteOffset: index * 4, as: Float16x.self)
        raw.storeBytes(of: (value - mean) * inverse * g + b, toByteOffset: index * 4, as: Float16x.self)
        index += 16
    }
    for tail in index..<width {
        line[tail] = (line[tail] - mean) * inverse * gamma[tail] + beta[tail]
    }
}

/// The scalar reference for one row of `layerNormRows`, in double precision.
public func layerNormReference(_ row: [Float], gamma: [Float], beta: [Float], epsilon: Float) -> [Float] {
    let mean = row.reduce(0.0) { $0 + Double($1) } / Double(row.count)
    let variance = row.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / Double(row.count)
    let inverse = 1 / (variance + Double(epsilon)).squareRoot()
    return row.indices.map { Float((Double(row[$0]) - mean) * inverse * Double(gamma[$0]) + Double(beta[$0])) }
}
