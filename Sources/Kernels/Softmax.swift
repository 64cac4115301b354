#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Softmax over the rows of a row-major matrix.

/// Replaces each row of `rows × width` with its softmax, stable against overflow (the row
/// maximum is subtracted first).
/// - Parameter stride: distance between the starts of consecutive rows (>= width).
/// - Complexity: O(rows · width).
public func softmaxRows(_ x: UnsafeMutablePointer<Float>, rows: Int, width: Int, stride: Int) {
    for row in 0..<rows {
        softmaxRow(x + row * stride, count: width)
    }
}

@inline(__always)
func softmaxRow(_ line: UnsafeMutablePointer<Float>, count: Int) {
    guard count > 0 else { return }
    scaleInPlace(line, by: 1 / exponentiateRow(line, count: count), count: count)
}

/// Replaces the first `count` values of a row with exp(value − max) and returns their sum: softmax
/// without the final division, for callers that fold the division into a later product.
@inline(__always)
func exponentiateRow(_ line: UnsafeMutablePointer<Float>, count: Int) -> Float {
    let raw = UnsafeMutableRawPointer(line)
    var maximum16 = Float16x(repeating: -.infinity)
    var index = 0
    while index + 16 <= count {
        maximum16 = lanewiseMax(maximum16, raw.loadUnaligned(fromByteOffset: index * 4, as: Float16x.self))
        index += 16
    }
    var maximum = maximum16.max()
    for tail in index..<count { maximum = max(maximum, line[tail]) }

    var sum16 = Float16x(repeating: 0)
    index = 0
    while index + 16 <= count {
        let e = vectorExp(raw.loadUnaligned(fromByteOffset: index * 4, as: Float16x.self) - maximum)
        raw.storeBytes(of: e, toByteOffset: index * 4, as: Float16x.self)
        sum16 += e
        index += 16
    }
    var sum = sum16.sum()
    if index < count {
        var tail = Float16x(repeating: -.infinity)
        for lane in 0..<(count - index) { tail[lane] = line[index + lane] - maximum }
        let e = vectorExp(tail)
        for lane in 0..<(count - index) {
            line[index + lane] = e[lane]
            sum += e[lane]
        }
    }
    return sum
}

/// The scalar reference for one row of `softmaxRows`, in double precision.
public func softmaxReference(_ row: [Float]) -> [Float] {
    let maximum = row.max() ?? 0
    let exps = row.map { exp(Double($0 - maximum)) }
    let sum = exps.reduce(0, +)
    return exps.map { Float($0 / sum) }
}
