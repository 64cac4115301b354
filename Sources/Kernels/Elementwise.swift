/// Element-wise operations over float buffers, vectorised 16 lanes at a time.

/// a[i] += b[i] for i < count.
/// - Complexity: O(count).
@inlinable
public func addInPlace(_ a: UnsafeMutablePointer<Float>, _ b: UnsafePointer<Float>, count: Int) {
    let rawA = UnsafeMutableRawPointer(a)
    let rawB = UnsafeRawPointer(b)
    var index = 0
    while index + 16 <= count {
        let sum =
            rawA.loadUnaligned(fromByteOffset: index * 4, as: Float16x.self)
            + rawB.loadUnaligned(fromByteOffset: index * 4, as: Float16x.self)
        rawA.storeBytes(of: sum, toByteOffset: index * 4, as: Float16x.self)
        index += 16
    }
    while index < count {
        a[index] += b[index]
        index += 1
    }
}

/// a[i] *= factor for i < count.
/// - Complexity: O(count).
public func scaleInPlace(_ a: UnsafeMutablePointer<Float>, by factor: Float, count: Int) {
    let raw = UnsafeMutableRawPointer(a)
    var index = 0
    while index + 16 <= count {
        let value = raw.loadUnaligned(fromByteOffset: index * 4, as: Float16x.self) * factor
        raw.storeBytes(of: value, toByteOffset: index * 4, as: Float16x.self)
        index += 16
    }
    while index < count {
        a[index] *= factor
        index += 1
    }
}

/// Divides a vector by its Euclidean norm; a zero vector stays zero (sentence-transformers'
/// `normalize` clamps the norm at 1e-12 in the same way).
/// - Complexity: O(count).
public func l2NormalizeInPlace(_ a: UnsafeMutablePointer<Float>, count: Int) {
    var squares = 0.0
    for index in 0..<count { squares += Double(a[index]) * Double(a[index]) }
    let norm = max(squares.squareRoot(), 1e-12)
    scaleInPlace(a, by: Float(1 / norm), count: count)
}
