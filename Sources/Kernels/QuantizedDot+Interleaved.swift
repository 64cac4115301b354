#if arch(x86_64)
    import _Builtin_intrinsics.intel
#endif

/// The 8-bit dot products of `QuantizedMatrix+Int8` over rows interleaved by four
/// (`RowLayout.interleaved4`).
///
/// The arithmetic is the sequential kernels' instruction for instruction, so every row gives the
/// same bits in either layout; what changes is the reading. A group's records arrive as one
/// sequential stream, which the hardware prefetcher follows, so no `Lookahead` is needed; the
/// four scales (and Q4_1's four minimums) come in one load and one `vcvtph2ps` instead of four
/// 16-bit loads and inserts each; and two rows' nibbles are one 32-byte load instead of two
/// 16-byte loads and an insert. That roughly halves the instructions per block of Q4_1.

extension QuantizedMatrix {
    /// `dotInt8` for interleaved rows: whole groups are computed, and the rows of `range` written.
    func dotInt8Interleaved(
        rows range: Range<Int>, _ activations: QuantizedActivations, vectors: Range<Int>,
        into out: UnsafeMutablePointer<Float>, ldo: Int
    ) {
        #if arch(x86_64)
            switch format {
            case .q40: dotInt8Groups(range, activations, vectors, into: out, ldo: ldo, Q4InterleavedKernel<Q40>.self)
            case .q41: dotInt8Groups(range, activations, vectors, into: out, ldo: ldo, Q4InterleavedKernel<Q41>.self)
            case .q80: dotInt8Groups(range, activations, vectors, into: out, ldo: ldo, Q80InterleavedKernel.self)
            case .f32, .f16: dotDequantizedActivations(rows: range, activations, vectors: vectors, into: out, ldo: ldo)
            }
        #else
            dotDequantizedActivations(rows: range, activations, vectors: vectors, into: out, ldo: ldo)
        #endif
    }

    #if arch(x86_64)
        @inline(__always)
        private func dotInt8Groups<Kernel: InterleavedGroupKernel>(
            _ range: Range<Int>, _ activations: QuantizedActivations, _ vectors: Range<Int>,
            into out: UnsafeMutablePointer<Float>, ldo: Int, _ kernel: Kernel.Type
        ) {
            let blocks = activations.blocksPerRow
            var first = range.lowerBound / 4 * 4
            while first < range.upperBound {
                let record = base + first * bytesPerRow
                let lanes = max(first, range.lowerBound)..<min(first + 4, range.upperBound)
                for vector in vectors {
                    let sums = Kernel.dot4(
                        record, UnsafeRawPointer(activations.values + vector * activations.columns),
                        scales: activations.scales + vector * blocks, sums: activations.sums + vector * blocks,
                        blocks: blocks)
                    let target = out + (vector - vectors.lowerBound) * ldo - range.lowerBound
                    for row in lanes { target[row] = sums[row - first] }
                }
                first += 4
            }
        }
    #endif
}

#if arch(x86_64)
    /// The four dot products of one interleaved group with one activation vector.
    protocol InterleavedGroupKernel {
        static func dot4(
            _ group: UnsafeRawPointer, _ x: UnsafeRawPointer, scales: UnsafePointer<Float>,
            sums: UnsafePointer<Float>, blocks: Int
        ) -> SIMD4<Float>
    }

    /// Which 4-bit format a `Q4InterleavedKernel` reads.
    protocol Q4Variant { static var hasMinimum: Bool { get } }
    enum Q40: Q4Variant { static var hasMinimum: Bool { false } }
    enum Q41: Q4Variant { static var hasMinimum: Bool { true } }

    /// Q4_0 and Q4_1 records (72 and 80 bytes), two rows per AVX register as in `dotQ4Rows4`.
    enum Q4InterleavedKernel<Variant: Q4Variant>: InterleavedGroupKernel {
        @inline(__always)
        static func dot4(
            _ group: UnsafeRawPointer, _ x: UnsafeRawPointer, scales: UnsafePointer<Float>,
            sums: UnsafePointer<Float>, blocks: Int
        ) -> SIMD4<Float> {
            let hasMinimum = Variant.hasMinimum
            let recordBytes = hasMinimum ? 80 : 72
            let nibbles = hasMinimum ? 16 : 8
            let firstPair = _mm256_setr_epi32(0, 0, 0, 0, 1, 1, 1, 1)
            let secondPair = _mm256_setr_epi32(2, 2, 2, 2, 3, 3, 3, 3)
            var acc01 = _mm256_setzero_ps()
            var acc23 = acc01
            // Q4_1: the high half gathers m·Σx of the four rows (the low half is unused).
            var minimums = acc01
            // Q4_0: −8d·Σx of the four rows.
            var centres = _mm_setzero_ps()
            for block in 0..<blocks {
                let record = group + block * recordBytes
                let xLow = _mm256_broadcastsi128_si256(x.loadUnaligned(fromByteOffset: block * 32, as: __m128i.self))
                let xHigh = _mm256_broadcastsi128_si256(
                    x.loadUnaligned(fromByteOffset: block * 32 + 16, as: __m128i.self))
                let scale: __m256
                if hasMinimum {
                    // [d0 d1 d2 d3 m0 m1 m2 m3] · [dx ×4, Σx ×4]
                    let dm = _mm256_cvtph_ps(record.loadUnaligned(as: __m128i.self))
                    let factors = _mm256_set_m128(_mm_set1_ps(sums[block]), _mm_set1_ps(scales[block]))
                    scale = _mm256_mul_ps(dm, factors)
                    minimums = _mm256_fmadd_ps(dm, factors, minimums)
                } else {
                    let d = _mm_cvtph_ps(_mm_cvtsi64_si128(record.loadUnaligned(as: Int64.self)))
                    scale = _mm256_castps128_ps256(_mm_mul_ps(d, _mm_set1_ps(scales[block])))
                    centres = _mm_fmadd_ps(d, _mm_set1_ps(-8 * sums[block]), centres)
                }
                @inline(__always)
                func products(_ offset: Int) -> __m256 {
                    q4PairProducts(
                        record.loadUnaligned(fromByteOffset: nibbles + offset, as: __m256i.self), xLow, xHigh)
                }
                acc01 = _mm256_fmadd_ps(products(0), _mm256_permutevar8x32_ps(scale, firstPair), acc01)
                acc23 = _mm256_fmadd_ps(products(32), _mm256_permutevar8x32_ps(scale, secondPair), acc23)
            }
            return sumRowPairs(acc01, acc23) + (hasMinimum ? minimums.highHalf : centres)
        }
    }

    /// Q8_0 records (136 bytes), as `Q80Kernel`.
    enum Q80InterleavedKernel: InterleavedGroupKernel {
        @inline(__always)
        static func dot4(
            _ group: UnsafeRawPointer, _ x: UnsafeRawPointer, scales: UnsafePointer<Float>,
            sums: UnsafePointer<Float>, blocks: Int
        ) -> SIMD4<Float> {
            var acc0 = _mm256_setzero_ps()
            var acc1 = acc0
            var acc2 = acc0
            var acc3 = acc0
            for block in 0..<blocks {
                let record = group + block * 136
                let xv = x.loadUnaligned(fromByteOffset: block * 32, as: __m256i.self)
                let d = _mm_cvtph_ps(_mm_cvtsi64_si128(record.loadUnaligned(as: Int64.self)))
                let scale = _mm256_castps128_ps256(_mm_mul_ps(d, _mm_set1_ps(scales[block])))
                @inline(__always)
                func products(_ lane: Int) -> __m256 {
                    q8Products(record.loadUnaligned(fromByteOffset: 8 + lane * 32, as: __m256i.self), xv)
                }
                acc0 = _mm256_fmadd_ps(products(0), _mm256_permutevar8x32_ps(scale, _mm256_set1_epi32(0)), acc0)
                acc1 = _mm256_fmadd_ps(products(1), _mm256_permutevar8x32_ps(scale, _mm256_set1_epi32(1)), acc1)
                acc2 = _mm256_fmadd_ps(products(2), _mm256_permutevar8x32_ps(scale, _mm256_set1_epi32(2)), acc2)
                acc3 = _mm256_fmadd_ps(products(3), _mm256_permutevar8x32_ps(scale, _mm256_set1_epi32(3)), acc3)
            }
            return sumRows(acc0, acc1, acc2, acc3)
        }
    }
#endif
