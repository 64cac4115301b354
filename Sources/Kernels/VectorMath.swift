/// Vectorised elementary functions on `SIMD16<Float>` (two AVX registers), accurate to a few ulp.
///
/// The C library's `expf`/`erff` are scalar calls; the encoder evaluates GELU on ten million
/// values per batch, where a scalar call would cost as much as the matrix products around it.

/// A sixteen-lane float vector, the width the kernels are written for (PLATFORM.md: wider vectors
/// are not vectorised by the compiler).
public typealias Float16x = SIMD16<Float>

@usableFromInline let ln2High: Float = 0.693_359_375
@usableFromInline let ln2Low: Float = -2.121_944_400_5e-4

/// e^x for each lane; inputs below -87.3 give 0, above 88.7 give +inf (between 88 and 88.7, e^88).
///
/// Range reduction x = n·ln2 + r with |r| <= ln2/2 (ln2 split in two parts so that n·ln2 is exact),
/// a degree-6 polynomial for e^r (Cephes' `expf` coefficients, relative error ~1e-7), and 2^n
/// built directly in the exponent bits.
///
/// Written with plain vector arithmetic, comparisons and selects only: the standard library's
/// `SIMD16<Int32>(_:rounding:)` and `pointwiseMin`/`pointwiseMax` are not vectorised and cost
/// more than the whole polynomial. Adding 1.5·2²³ rounds to the nearest integer and leaves it in
/// the low mantissa bits, which gives both n as a float and n as an integer without a conversion.
@inlinable @inline(__always)
public func vectorExp(_ x: Float16x) -> Float16x {
    let roundingMagic: Float = 12_582_912  // 1.5·2²³
    let low = Float16x(repeating: -87.33)
    let high = Float16x(repeating: 88)
    var clamped = x.replacing(with: low, where: x .< low)
    clamped.replace(with: high, where: clamped .> high)
    let shifted = clamped * 1.442_695_04 + roundingMagic
    let n = shifted - roundingMagic
    var r = clamped - n * ln2High
    r = r - n * ln2Low
    var p = Float16x(repeating: 1.987_569_150_0e-4)
    p = p * r + 1.398_199_950_7e-3
    p = p * r + 8.333_451_907_3e-3
    p = p * r + 4.166_579_589_4e-2
    p = p * r + 1.666_666_545_9e-1
    p = p * r + 5.000_000_120_1e-1
    p = p * (r * r) + r + 1
    // The low bits of `shifted` hold n + 0x40_0000; n + 127 is the biased exponent of 2^n.
    let exponent = unsafeBitCast(shifted, to: SIMD16<UInt32>.self) &- (0x4B40_0000 - 127)
    let scale = unsafeBitCast(exponent &<< 23, to: Float16x.self)
    var result = p * scale
    result.replace(with: Float16x(repeating: 0), where: x .< low)
    result.replace(with: Float16x(repeating: .infinity), where: x .> 88.72)
    return result
}

/// The lane-wise maximum, as a compare and a select (see `vectorExp` on why not `pointwiseMax`).
@inlinable @inline(__always)
public func lanewiseMax(_ a: Float16x, _ b: Float16x) -> Float16x {
    a.replacing(with: b, where: b .> a)
}

/// The complementary error function erfc(x) for x >= 0, each lane.
///
/// erfc(x) = t·exp(-x² + P(t)), t = 1/(1 + x/2), with the Chebyshev fit of Numerical Recipes
/// (fractional error below 1.2e-7 for every x >= 0). Relative accuracy holds in the tail, which
/// keeps GELU exact for large negative inputs.
@inlinable @inline(__always)
public func vectorErfcNonNegative(_ x: Float16x) -> Float16x {
    let t = 1 / (1 + 0.5 * x)
    var p = Float16x(repeating: 0.170_872_77)
    p = p * t - 0.822_152_23
    p = p * t + 1.488_515_87
    p = p * t - 1.135_203_98
    p = p * t + 0.278_868_07
    p = p * t - 0.186_288_06
    p = p * t + 0.096_784_18
    p = p * t + 0.374_091_96
    p = p * t + 1.000_023_68
    p = p * t - 1.265_512_23
    return t * vectorExp(p - x * x)
}
