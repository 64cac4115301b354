#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Activation functions applied in place over a buffer.

/// GELU with the exact error function, as BERT and `torch.nn.functional.gelu` define it:
/// gelu(x) = x·Φ(x) = x/2·(1 + erf(x/√2)).
///
/// Written with erfc so that both tails keep their relative accuracy:
/// x >= 0: x·(1 - erfc(z)/2); x < 0: x·erfc(z)/2, with z = |x|/√2.
/// - Complexity: O(n), vectorised 16 lanes at a time.
public func geluInPlace(_ values: UnsafeMutablePointer<Float>, count: Int) {
    var index = 0
    let raw = UnsafeMutableRawPointer(values)
    while index + 16 <= count {
        let x = raw.loadUnaligned(fromByteOffset: index * 4, as: Float16x.self)
        raw.storeBytes(of: gelu16(x), toByteOffset: index * 4, as: Float16x.self)
        index += 16
    }
    if index < count {
        var tail = Float16x(repeating: 0)
        for lane in 0..<(count - index) { tail[lane] = values[index + lane] }
        let result = gelu16(tail)
        for lane in 0..<(count - index) { values[index + lane] = result[lane] }
    }
}

@inlinable @inline(__always)
func gelu16(_ x: Float16x) -> Float16x {
    let z = x.replacing(with: -x, where: x .< 0) * 0.707_106_781_186_547_5
    let halfErfc = 0.5 * vectorErfcNonNegative(z)
    var phi = 1 - halfErfc
    phi.replace(with: halfErfc, where: x .< 0)
    return x * phi
}

/// GELU to within about 1e-6 (absolute) of `geluInPlace`, at less than half its cost: for
/// outputs that are quantised to 7 or 8 bits next (the int8 products' GELU), whose steps are
/// four orders of magnitude coarser.
///
/// erf(z) = 1 − (1 + a₁z + … + a₆z⁶)⁻¹⁶ for z ≥ 0 (Abramowitz and Stegun 7.1.28, |ε| ≤ 3e-7):
/// one division and a few multiplies, no exponential.
/// - Complexity: O(n), vectorised 16 lanes at a time.
public func geluApproximateInPlace(_ values: UnsafeMutablePointer<Float>, count: Int) {
    var index = 0
    let raw = UnsafeMutableRawPointer(values)
    while index + 16 <= count {
        let x = raw.loadUnaligned(fromByteOffset: index * 4, as: Float16x.self)
        raw.storeBytes(of: geluApproximate16(x), toByteOffset: index * 4, as: Float16x.self)
        index += 16
    }
    if index < count {
        var tail = Float16x(repeating: 0)
        for lane in 0..<(count - index) { tail[lane] = values[index + lane] }
        let result = geluApproximate16(tail)
        for lane in 0..<(count - index) { values[index + lane] = result[lane] }
    }
}

@inlinable @inline(__always)
func geluApproximate16(_ x: Float16x) -> Float16x {
    let z = x.replacing(with: -x, where: x .< 0) * 0.707_106_781_186_547_5
    var p = Float16x(repeating: 0.000_043_063_8)
    p = p * z + 0.000_276_567_2
    p = p * z + 0.000_152_014_3
    p = p * z + 0.009_270_527_2
    p = p * z + 0.042_282_012_3
    p = p * z + 0.070_523_078_4
    p = p * z + 1
    p = p * p  // ²
    p = p * p  // ⁴
    p = p * p  // ⁸
    p = p * p  // ¹⁶
    let erfc = 1 / p  // erfc(|x|/√2), +inf → 0
    var phi = 1 - 0.5 * erfc
    phi.replace(with: 0.5 * erfc, where: x .< 0)
    return x * phi
}

/// The scalar reference for `geluInPlace`, on the C library's `erf` in double precision.
public func geluReference(_ x: Float) -> Float {
    Float(0.5 * Double(x) * (1 + erf(Double(x) / 2.0.squareRoot())))
}

/// SiLU (swish), x·σ(x) = x / (1 + e⁻ˣ), in place: the activation of llama's gated MLP.
/// - Complexity: O(n), vectorised 16 lanes at a time.
public func siluInPlace(_ values: UnsafeMutablePointer<Float>, count: Int) {
    swiGLU(gate: values, up: nil, count: count)
}

/// The SwiGLU product of llama's MLP in place: gate[i] = silu(gate[i]) · up[i].
///
/// Fused so that the 1536-wide hidden vector of each token is read and written once.
/// - Complexity: O(count), vectorised 16 lanes at a time.
public func swiGLUInPlace(gate: UnsafeMutablePointer<Float>, up: UnsafePointer<Float>, count: Int) {
    swiGLU(gate: gate, up: up, count: count)
}

@inline(__always)
private func swiGLU(gate: UnsafeMutablePointer<Float>, up: UnsafePointer<Float>?, count: Int) {
    let raw = UnsafeMutableRawPointer(gate)
    var index = 0
    while index + 16 <= count {
        var value = silu16(raw.loadUnaligned(fromByteOffset: index * 4, as: Float16x.self))
        if let up { value *= UnsafeRawPointer(up).loadUnaligned(fromByteOffset: index * 4, as: Float16x.self) }
        raw.storeBytes(of: value, toByteOffset: index * 4, as: Float16x.self)
        index += 16
    }
    if index < count {
        var tail = Float16x(repeating: 0)
        for lane in 0..<(count - index) { tail[lane] = gate[index + lane] }
        let result = silu16(tail)
        for lane in 0..<(count - index) { gate[index + lane] = result[lane] * (up?[index + lane] ?? 1) }
    }
}

/// x / (1 + e⁻ˣ) per lane; e⁻ˣ overflows to +inf for x < −88.7, which gives −0 as it should.
@inlinable @inline(__always)
func silu16(_ x: Float16x) -> Float16x {
    x / (1 + vectorExp(-x))
}

/// The scalar reference for `siluInPlace`, on the C library's `exp` in double precision.
public func siluReference(_ x: Float) -> Float {
    Float(Double(x) / (1 + exp(-Double(x))))
}
