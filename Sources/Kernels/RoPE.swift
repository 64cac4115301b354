#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Rotary position embedding (RoPE): each pair of values of a query or key head is rotated by an
/// angle that grows with the token's position.
///
/// Pair i (i < d/2) of a head turns by θ = pos · base^(−2i/d), d the rotated dimensions.
/// Which two values form pair i depends on how the weights were laid out.
public enum RoPELayout: Sendable, CaseIterable {
    /// Adjacent values (2i, 2i + 1): llama.cpp's "normal" mode, used with GGUF llama models,
    /// whose converter permuted the rows of the q and k projections to suit it.
    case normal
    /// Values i and i + d/2 (Hugging Face's `rotate_half`): llama.cpp's "neox" mode, used by
    /// qwen2 GGUF files and by un-permuted Hugging Face weights.
    case neox
}

/// Precomputed cos θ and sin θ for every position of a range and every pair of a head.
///
/// The angles follow Hugging Face's float32 computation, which the reference logits come from:
/// inverse frequencies base^(−2i/d) rounded to float, the angle pos·frequency as a float product,
/// then its cosine and sine (computed in double and rounded, so correctly rounded). A table of
/// 8192 positions for heads of 64 takes 2 MB.
///
/// The range comes from a model file's `context_length`, which nothing in the file backs: a forged
/// 2^40 would ask for terabytes. So at most `maximumTabulatedPairs` (cos, sin) pairs are tabulated
/// (32 MB), for the first positions of the range; a position past them has its angles computed as
/// it comes, by the same formula, so the result is the same either way.
public final class RoPETable: @unchecked Sendable {
    /// The most (cos, sin) pairs tabulated: 2^22, 32 MB, all of 131,072 positions for heads of 64.
    public static let maximumTabulatedPairs = 1 << 22

    /// Rotated dimensions per head (d); the head's values beyond them are left alone.
    public let dimensions: Int
    public let base: Float
    /// The positions the table covers.
    public let positions: Range<Int>
    /// How many positions from `positions.lowerBound` on are tabulated; the rest are computed.
    public let tabulatedCount: Int
    /// base^(−2i/d) for each pair i, rounded to float.
    private let frequencies: [Float]
    /// (tabulatedCount, d/2) cosines, then the same for sines. Written in `init`, read only.
    private let cosines: UnsafeMutablePointer<Float>
    private let sines: UnsafeMutablePointer<Float>

    /// - Throws: `KernelError.invalidDimension` when `dimensions` is odd or below 2 or `positions`
    ///   is empty or starts below 0; `KernelError.invalidValue` when `base` is not a number above 1.
    public convenience init(dimensions: Int, base: Float, positions: Range<Int>) throws(KernelError) {
        guard dimensions >= 2, dimensions % 2 == 0 else {
            throw .invalidDimension(name: "rotary dimensions (an even number)", value: dimensions)
        }
        guard base > 1, base.isFinite else { throw .invalidValue(name: "rope base", value: base, expected: "above 1") }
        guard !positions.isEmpty, positions.lowerBound >= 0 else {
            throw .invalidDimension(name: "rope positions", value: positions.count)
        }
        let frequencies = (0..<(dimensions / 2)).map { pair in
            Float(1 / pow(Double(base), Double(Float(2 * pair) / Float(dimensions))))
        }
        self.init(dimensions: dimensions, base: base, positions: positions, frequencies: frequencies)
    }

    private init(dimensions: Int, base: Float, positions: Range<Int>, frequencies: [Float]) {
        self.dimensions = dimensions
        self.base = base
        self.positions = positions
        self.frequencies = frequencies
        let pairs = dimensions / 2
        tabulatedCount = min(positions.count, max(1, Self.maximumTabulatedPairs / pairs))
        cosines = .allocate(capacity: tabulatedCount * pairs)
        sines = .allocate(capacity: tabulatedCount * pairs)
        for slot in 0..<tabulatedCount {
            angles(position: positions.lowerBound + slot, cosines: cosines + slot * pairs, sines: sines + slot * pairs)
        }
    }

    /// The same rotation tabulated for `positions` instead, with nothing left to validate: for a
    /// caller that needs a few positions at a time (a forward pass over a prompt chunk, or one new
    /// token) and would rather not keep a whole context's table resident.
    /// - Precondition: `positions` is not empty and starts at 0 or later.
    public func covering(_ positions: Range<Int>) -> RoPETable {
        precondition(!positions.isEmpty && positions.lowerBound >= 0, "RoPE positions \(positions)")
        return RoPETable(dimensions: dimensions, base: base, positions: positions, frequencies: frequencies)
    }

    /// cos θ and sin θ of every pair at `position`, written to `cosines` and `sines`.
    private func angles(position: Int, cosines: UnsafeMutablePointer<Float>, sines: UnsafeMutablePointer<Float>) {
        for pair in 0..<frequencies.count {
            let angle = Double(Float(position) * frequencies[pair])
            cosines[pair] = Float(cos(angle))
            sines[pair] = Float(sin(angle))
        }
    }

    deinit {
        cosines.deallocate()
        sines.deallocate()
    }

    /// Rotates the first `dimensions` values of each of `heads` heads of `headSize` floats,
    /// stored one after another at `x`, for a token at `position`.
    /// - Precondition: `position` is in `positions`; `headSize >= dimensions`.
    /// - Complexity: O(heads · dimensions).
    public func apply(
        to x: UnsafeMutablePointer<Float>, heads: Int, headSize: Int, position: Int, layout: RoPELayout
    ) {
        precondition(positions.contains(position), "position \(position) outside the RoPE table's \(positions)")
        precondition(headSize >= dimensions, "heads of \(headSize) values cannot rotate \(dimensions)")
        let pairs = dimensions / 2
        let slot = position - positions.lowerBound
        if slot < tabulatedCount {
            rotate(
                x, heads: heads, headSize: headSize, layout: layout, cosine: cosines + slot * pairs,
                sine: sines + slot * pairs)
            return
        }
        withUnsafeTemporaryAllocation(of: Float.self, capacity: 2 * pairs) { buffer in
            let cosine = buffer.baseAddress!
            angles(position: position, cosines: cosine, sines: cosine + pairs)
            rotate(x, heads: heads, headSize: headSize, layout: layout, cosine: cosine, sine: cosine + pairs)
        }
    }

    /// Rotates each head's pairs by the angles whose cosines and sines are given.
    private func rotate(
        _ x: UnsafeMutablePointer<Float>, heads: Int, headSize: Int, layout: RoPELayout, cosine: UnsafePointer<Float>,
        sine: UnsafePointer<Float>
    ) {
        let pairs = dimensions / 2
        for head in 0..<heads {
            let values = x + head * headSize
            switch layout {
            case .normal:
                for pair in 0..<pairs {
                    let first = values[2 * pair]
                    let second = values[2 * pair + 1]
                    values[2 * pair] = first * cosine[pair] - second * sine[pair]
                    values[2 * pair + 1] = first * sine[pair] + second * cosine[pair]
                }
            case .neox:
                for pair in 0..<pairs {
                    let first = values[pair]
                    let second = values[pair + pairs]
                    values[pair] = first * cosine[pair] - second * sine[pair]
                    values[pair + pairs] = first * sine[pair] + second * cosine[pair]
                }
            }
        }
    }

    /// `apply` for `tokens` consecutive tokens at positions `firstPosition`, `firstPosition + 1`, …,
    /// each token's heads `stride` floats after the previous token's.
    /// - Complexity: O(tokens · heads · dimensions).
    public func apply(
        to x: UnsafeMutablePointer<Float>, tokens: Int, stride: Int, heads: Int, headSize: Int, firstPosition: Int,
        layout: RoPELayout
    ) {
        for token in 0..<tokens {
            apply(
                to: x + token * stride, heads: heads, headSize: headSize, position: firstPosition + token,
                layout: layout)
        }
    }
}
