#if arch(x86_64)
    import _Builtin_intrinsics.intel
#endif

/// Attention of one query over keys and values stored in half precision: the decoding step of a
/// language model whose key/value cache is F16.
///
/// Decoding attends one new token per head and layer. Through BLAS that is two `sgemm` calls per
/// head, whose set-up costs more than their arithmetic at this size, over float32 rows that take
/// twice the memory traffic of halves. Here the scores are dot products of the query with each
/// key row (8 positions at a time, so that one tree of horizontal adds finishes eight sums), then
/// a softmax, then the value rows summed with those weights in eight 8-lane accumulators. Halves
/// widen to floats with `vcvtph2ps`; everything else is single precision.
///
/// Dimension letters: T positions (the length), D the head size.
/// - Parameters:
///   - query: D floats.
///   - keys: T rows of D halves, `stride` halves apart (this head's columns of the cache rows).
///   - values: likewise.
///   - scores: room for T floats (overwritten).
///   - out: D floats, softmax(scale·q·Kᵀ)·V.
/// - Precondition: D is a multiple of 64, T ≥ 1.
/// - Complexity: O(T·D).
public func attendOneQuery(
    _ query: UnsafePointer<Float>, keys: UnsafePointer<UInt16>, values: UnsafePointer<UInt16>, stride: Int,
    length: Int, headSize: Int, scale: Float, scores: UnsafeMutablePointer<Float>,
    into out: UnsafeMutablePointer<Float>
) {
    precondition(headSize % 64 == 0 && length >= 1, "head size \(headSize), length \(length)")
    #if arch(x86_64)
        halfScores(query, keys: keys, stride: stride, length: length, headSize: headSize, scale: scale, into: scores)
        softmaxRow(scores, count: length)
        for chunk in Swift.stride(from: 0, to: headSize, by: 64) {
            weightedHalfRows(
                values + chunk, stride: stride, weights: scores, length: length, into: out + chunk)
        }
    #else
        for position in 0..<length {
            var sum: Float = 0
            for d in 0..<headSize { sum += query[d] * halfToFloat(keys[position * stride + d]) }
            scores[position] = sum * scale
        }
        softmaxRow(scores, count: length)
        for d in 0..<headSize {
            var sum: Float = 0
            for position in 0..<length { sum += scores[position] * halfToFloat(values[position * stride + d]) }
            out[d] = sum
        }
    #endif
}

#if arch(x86_64)
    /// scores[t] = scale · Σ_d q[d]·K[t, d].
    ///
    /// Eight positions go together, each with its own accumulator, and the head's columns in the
    /// outer loop: eight independent multiply-adds per query load, where one position at a time
    /// would chain its multiply-adds one after another.
    @inline(__always)
    private func halfScores(
        _ query: UnsafePointer<Float>, keys: UnsafePointer<UInt16>, stride: Int, length: Int, headSize: Int,
        scale: Float, into scores: UnsafeMutablePointer<Float>
    ) {
        let q = UnsafeRawPointer(query)
        let rowBytes = stride &* 2
        var position = 0
        while position &+ 8 <= length {
            let rows = UnsafeRawPointer(keys + position &* stride)
            var a0 = _mm256_setzero_ps()
            var a1 = a0
            var a2 = a0
            var a3 = a0
            var a4 = a0
            var a5 = a0
            var a6 = a0
            var a7 = a0
            var d = 0
            while d < headSize {
                let qv = q.loadUnaligned(fromByteOffset: d &* 4, as: __m256.self)
                @inline(__always)
                func key(_ row: Int) -> __m256 {
                    _mm256_cvtph_ps(rows.loadUnaligned(fromByteOffset: row &* rowBytes &+ d &* 2, as: __m128i.self))
                }
                a0 = _mm256_fmadd_ps(qv, key(0), a0)
                a1 = _mm256_fmadd_ps(qv, key(1), a1)
                a2 = _mm256_fmadd_ps(qv, key(2), a2)
                a3 = _mm256_fmadd_ps(qv, key(3), a3)
                a4 = _mm256_fmadd_ps(qv, key(4), a4)
                a5 = _mm256_fmadd_ps(qv, key(5), a5)
                a6 = _mm256_fmadd_ps(qv, key(6), a6)
                a7 = _mm256_fmadd_ps(qv, key(7), a7)
                d &+= 8
            }
            // Three rounds of horizontal adds leave position p's sum in lanes p and p + 4 of a
            // quad; the halves of each quad then add up.
            let low = _mm256_hadd_ps(_mm256_hadd_ps(a0, a1), _mm256_hadd_ps(a2, a3))
            let high = _mm256_hadd_ps(_mm256_hadd_ps(a4, a5), _mm256_hadd_ps(a6, a7))
            let sums = SIMD8(lowHalf: low.lowHalf + low.highHalf, highHalf: high.lowHalf + high.highHalf)
            UnsafeMutableRawPointer(scores + position).storeBytes(of: sums * scale, as: SIMD8<Float>.self)
            position &+= 8
        }
        while position < length {
            let row = UnsafeRawPointer(keys + position &* stride)
            var sum = _mm256_setzero_ps()
            var d = 0
            while d < headSize {
                let k = _mm256_cvtph_ps(row.loadUnaligned(fromByteOffset: d &* 2, as: __m128i.self))
                sum = _mm256_fmadd_ps(q.loadUnaligned(fromByteOffset: d &* 4, as: __m256.self), k, sum)
                d &+= 8
            }
            scores[position] = sum.sum() * scale
            position &+= 1
        }
    }

    /// out[0..<64] = Σ_t w[t]·V[t, 0..<64].
    @inline(__always)
    private func weightedHalfRows(
        _ values: UnsafePointer<UInt16>, stride: Int, weights: UnsafePointer<Float>, length: Int,
        into out: UnsafeMutablePointer<Float>
    ) {
        var acc0 = _mm256_setzero_ps()
        var acc1 = acc0
        var acc2 = acc0
        var acc3 = acc0
        var acc4 = acc0
        var acc5 = acc0
        var acc6 = acc0
        var acc7 = acc0
        for position in 0..<length {
            let row = UnsafeRawPointer(values + position &* stride)
            let w = _mm256_set1_ps(weights[position])
            @inline(__always)
            func value(_ lane: Int) -> __m256 {
                _mm256_cvtph_ps(row.loadUnaligned(fromByteOffset: lane * 16, as: __m128i.self))
            }
            acc0 = _mm256_fmadd_ps(w, value(0), acc0)
            acc1 = _mm256_fmadd_ps(w, value(1), acc1)
            acc2 = _mm256_fmadd_ps(w, value(2), acc2)
            acc3 = _mm256_fmadd_ps(w, value(3), acc3)
            acc4 = _mm256_fmadd_ps(w, value(4), acc4)
            acc5 = _mm256_fmadd_ps(w, value(5), acc5)
            acc6 = _mm256_fmadd_ps(w, value(6), acc6)
            acc7 = _mm256_fmadd_ps(w, value(7), acc7)
        }
        let target = UnsafeMutableRawPointer(out)
        target.storeBytes(of: acc0, toByteOffset: 0, as: __m256.self)
        target.storeBytes(of: acc1, toByteOffset: 32, as: __m256.self)
        target.storeBytes(of: acc2, toByteOffset: 64, as: __m256.self)
        target.storeBytes(of: acc3, toByteOffset: 96, as: __m256.self)
        target.storeBytes(of: acc4, toByteOffset: 128, as: __m256.self)
        target.storeBytes(of: acc5, toByteOffset: 160, as: __m256.self)
        target.storeBytes(of: acc6, toByteOffset: 192, as: __m256.self)
        target.storeBytes(of: acc7, toByteOffset: 224, as: __m256.self)
    }
#endif
