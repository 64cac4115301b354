#if arch(x86_64)
    import _Builtin_intrinsics.intel
#endif

/// Dot products of block-quantised rows with `QuantizedActivations`, on AVX2 integer instructions.
///
/// Four rows go together, so that each block of activations is loaded once for four rows, the
/// four rows' scales are converted from half precision by one `vcvtph2ps`, and several
/// independent accumulators hide the latency of the multiply-adds. Per block of 32 values:
///
/// - 4-bit rows are unpacked two at a time: the 16 bytes of one row fill the low half of an AVX
///   register and those of the next row the high half, so one AND gives both rows' values 0–15
///   and one shift and AND their values 16–31. Two `vpmaddubsw` (unsigned weight byte × signed
///   activation byte, adjacent pairs summed to 16 bits) against the activations' halves, one
///   16-bit add, one `vpmaddwd` by ones (pairs summed to 32 bits) and one conversion leave four
///   partial sums of each of the two rows, which one fused multiply-add scales by d·dx.
/// - 8-bit rows (Q8_0) take one `vpmaddubsw` each, the weights made non-negative with their signs
///   moved onto the activations.
///
/// No lane can overflow: a 4-bit pair is at most 2·15·127 = 3810 and the sum of two such 7620;
/// a Q8_0 pair at most 2·128·127 = 32512. The offset terms (Q4_1's m·Σx, Q4_0's −8d·Σx) use the
/// exact block sums of the activations.
///
/// The compiler does not produce `vpmaddwd` from Swift's SIMD types or scalar loops, so these
/// kernels call the AVX2 intrinsics that clang's builtin headers define (its
/// `_Builtin_intrinsics` module), which compile to single instructions. A row is always computed
/// by the same sequence of instructions whichever rows share its group (a group of fewer than four
/// repeats its last row), so every row gives the same bits in a matrix–vector product, a batch, or
/// on its own.

extension QuantizedMatrix {
    /// out[v·ldo + r − range.lowerBound] = row r · activation vector `vectors.lowerBound + v`, for
    /// r in `range` and every vector in `vectors`.
    ///
    /// Each group of four rows meets every vector while its few kilobytes of weights stay in L1.
    func dotInt8(
        rows range: Range<Int>, _ activations: QuantizedActivations, vectors: Range<Int>,
        into out: UnsafeMutablePointer<Float>, ldo: Int
    ) {
        if layout == .interleaved4 {
            dotInt8Interleaved(rows: range, activations, vectors: vectors, into: out, ldo: ldo)
            return
        }
        #if arch(x86_64)
            switch format {
            case .q40: dotInt8Rows(Q40Kernel.self, range, activations, vectors, into: out, ldo: ldo)
            case .q41: dotInt8Rows(Q41Kernel.self, range, activations, vectors, into: out, ldo: ldo)
            case .q80: dotInt8Rows(Q80Kernel.self, range, activations, vectors, into: out, ldo: ldo)
            case .f32, .f16: dotDequantizedActivations(rows: range, activations, vectors: vectors, into: out, ldo: ldo)
            }
        #else
            dotDequantizedActivations(rows: range, activations, vectors: vectors, into: out, ldo: ldo)
        #endif
    }

    #if arch(x86_64)
        @inline(__always)
        private func dotInt8Rows<Kernel: Int8RowKernel>(
            _ kernel: Kernel.Type, _ range: Range<Int>, _ activations: QuantizedActivations, _ vectors: Range<Int>,
            into out: UnsafeMutablePointer<Float>, ldo: Int
        ) {
            let blocks = activations.blocksPerRow
            var index = range.lowerBound
            var lookahead = Lookahead()
            while index < range.upperBound {
                let count = min(4, range.upperBound - index)
                let rows = (
                    row(index), row(index + min(1, count - 1)), row(index + min(2, count - 1)),
                    row(index + count - 1)
                )
                // While these rows are multiplied, read ahead the next group's (within the range).
                let next = index + count
                lookahead.start(
                    at: row(min(next, range.upperBound - 1)),
                    bytes: (min(next + 4, range.upperBound) - next) * bytesPerRow)
                for vector in vectors {
                    let sums = Kernel.dot4(
                        rows, UnsafeRawPointer(activations.values + vector * activations.columns),
                        scales: activations.scales + vector * blocks, sums: activations.sums + vector * blocks,
                        blocks: blocks, lookahead: &lookahead)
                    lookahead.stop()
                    let target = out + (vector - vectors.lowerBound) * ldo + (index - range.lowerBound)
                    for lane in 0..<count { target[lane] = sums[lane] }
                }
                index += count
            }
            lookahead.finish()
        }
    #endif
}

#if arch(x86_64)
    /// Four rows' dot products with one activation vector, for one block format.
    protocol Int8RowKernel {
        /// The dot products of four rows (which may repeat) with the 8-bit values `x`, their
        /// per-block `scales` and exact per-block `sums`, over `blocks` blocks.
        static func dot4(
            _ rows: (UnsafeRawPointer, UnsafeRawPointer, UnsafeRawPointer, UnsafeRawPointer), _ x: UnsafeRawPointer,
            scales: UnsafePointer<Float>, sums: UnsafePointer<Float>, blocks: Int, lookahead: inout Lookahead
        ) -> SIMD4<Float>
    }

    enum Q40Kernel: Int8RowKernel {
        @inline(__always)
        static func dot4(
            _ rows: (UnsafeRawPointer, UnsafeRawPointer, UnsafeRawPointer, UnsafeRawPointer), _ x: UnsafeRawPointer,
            scales: UnsafePointer<Float>, sums: UnsafePointer<Float>, blocks: Int, lookahead: inout Lookahead
        ) -> SIMD4<Float> {
            // BlockQ4_0: 18 bytes, nibbles from byte 2; the offset is −8d.
            dotQ4Rows4(
                rows, x, scales: scales, sums: sums, blocks: blocks, blockBytes: 18, hasMinimum: false,
                lookahead: &lookahead)
        }
    }

    enum Q41Kernel: Int8RowKernel {
        @inline(__always)
        static func dot4(
            _ rows: (UnsafeRawPointer, UnsafeRawPointer, UnsafeRawPointer, UnsafeRawPointer), _ x: UnsafeRawPointer,
            scales: UnsafePointer<Float>, sums: UnsafePointer<Float>, blocks: Int, lookahead: inout Lookahead
        ) -> SIMD4<Float> {
            // BlockQ4_1: 20 bytes, the minimum m at byte 2, nibbles from byte 4.
            dotQ4Rows4(
                rows, x, scales: scales, sums: sums, blocks: blocks, blockBytes: 20, hasMinimum: true,
                lookahead: &lookahead)
        }
    }

    enum Q80Kernel: Int8RowKernel {
        @inline(__always)
        static func dot4(
            _ rows: (UnsafeRawPointer, UnsafeRawPointer, UnsafeRawPointer, UnsafeRawPointer), _ x: UnsafeRawPointer,
            scales: UnsafePointer<Float>, sums: UnsafePointer<Float>, blocks: Int, lookahead: inout Lookahead
        ) -> SIMD4<Float> {
            var acc0 = _mm256_setzero_ps()
            var acc1 = acc0
            var acc2 = acc0
            var acc3 = acc0
            for block in 0..<blocks {
                lookahead.touch(block: block)
                let offset = block * 34  // BlockQ8_0: 34 bytes, values from byte 2
                let xv = x.loadUnaligned(fromByteOffset: block * 32, as: __m256i.self)
                let scale = _mm256_castps128_ps256(
                    _mm_mul_ps(halves(rows, at: offset), _mm_set1_ps(scales[block])))
                @inline(__always)
                func products(_ row: UnsafeRawPointer) -> __m256 {
                    q8Products(row.loadUnaligned(fromByteOffset: offset + 2, as: __m256i.self), xv)
                }
                acc0 = _mm256_fmadd_ps(products(rows.0), _mm256_permutevar8x32_ps(scale, _mm256_set1_epi32(0)), acc0)
                acc1 = _mm256_fmadd_ps(products(rows.1), _mm256_permutevar8x32_ps(scale, _mm256_set1_epi32(1)), acc1)
                acc2 = _mm256_fmadd_ps(products(rows.2), _mm256_permutevar8x32_ps(scale, _mm256_set1_epi32(2)), acc2)
                acc3 = _mm256_fmadd_ps(products(rows.3), _mm256_permutevar8x32_ps(scale, _mm256_set1_epi32(3)), acc3)
            }
            return sumRows(acc0, acc1, acc2, acc3)
        }
    }

    /// The 32 products of one Q8_0 block's values `q` with the activations `x`, summed in eight
    /// lanes of four.
    @inline(__always)
    func q8Products(_ q: __m256i, _ x: __m256i) -> __m256 {
        // vpmaddubsw wants one unsigned operand: |q| times x with q's sign.
        let pairs = _mm256_maddubs_epi16(_mm256_sign_epi8(q, q), _mm256_sign_epi8(x, q))
        return _mm256_cvtepi32_ps(_mm256_madd_epi16(pairs, _mm256_set1_epi16(1)))
    }

    /// Row r's eight lanes summed, from one accumulator per row: three horizontal adds leave them
    /// in lanes r and r + 4.
    @inline(__always)
    func sumRows(_ acc0: __m256, _ acc1: __m256, _ acc2: __m256, _ acc3: __m256) -> SIMD4<Float> {
        let pairs = _mm256_hadd_ps(_mm256_hadd_ps(acc0, acc1), _mm256_hadd_ps(acc2, acc3))
        return pairs.lowHalf + pairs.highHalf
    }

    /// The products of two rows' 4-bit values (`bytes`: 16 bytes of each, in the register's two
    /// halves) with one block of activations (`xLow`, `xHigh`: its values 0–15 and 16–31, each in
    /// both halves), as four partial sums per row.
    @inline(__always)
    func q4PairProducts(_ bytes: __m256i, _ xLow: __m256i, _ xHigh: __m256i) -> __m256 {
        let mask = _mm256_set1_epi8(15)
        let low = _mm256_and_si256(bytes, mask)
        let high = _mm256_and_si256(_mm256_srli_epi16(bytes, 4), mask)
        let pairs = _mm256_add_epi16(_mm256_maddubs_epi16(low, xLow), _mm256_maddubs_epi16(high, xHigh))
        return _mm256_cvtepi32_ps(_mm256_madd_epi16(pairs, _mm256_set1_epi16(1)))
    }

    /// [row 0 ×4, row 1 ×4] and [row 2 ×4, row 3 ×4] summed per row: two horizontal adds leave
    /// [r0 r2 r0 r2 | r1 r3 r1 r3], and interleaving the halves gives [r0 r1 r2 r3].
    @inline(__always)
    func sumRowPairs(_ acc01: __m256, _ acc23: __m256) -> SIMD4<Float> {
        let quads = _mm256_hadd_ps(acc01, acc23)
        let singles = _mm256_hadd_ps(quads, quads)
        return _mm_unpacklo_ps(singles.lowHalf, singles.highHalf)
    }

    /// The 4-bit kernel shared by Q4_0 and Q4_1, two rows per AVX register (see the top of the file).
    @inline(__always)
    private func dotQ4Rows4(
        _ rows: (UnsafeRawPointer, UnsafeRawPointer, UnsafeRawPointer, UnsafeRawPointer), _ x: UnsafeRawPointer,
        scales: UnsafePointer<Float>, sums: UnsafePointer<Float>, blocks: Int, blockBytes: Int, hasMinimum: Bool,
        lookahead: inout Lookahead
    ) -> SIMD4<Float> {
        let nibbles = hasMinimum ? 4 : 2
        // Lane indices that spread scales [s0 s1 s2 s3] to [s0 ×4, s1 ×4] and [s2 ×4, s3 ×4].
        let firstPair = _mm256_setr_epi32(0, 0, 0, 0, 1, 1, 1, 1)
        let secondPair = _mm256_setr_epi32(2, 2, 2, 2, 3, 3, 3, 3)
        var acc01 = _mm256_setzero_ps()
        var acc23 = acc01
        var sumTerms = _mm_setzero_ps()
        for block in 0..<blocks {
            lookahead.touch(block: block)
            let offset = block * blockBytes
            let xLow = _mm256_broadcastsi128_si256(x.loadUnaligned(fromByteOffset: block * 32, as: __m128i.self))
            let xHigh = _mm256_broadcastsi128_si256(x.loadUnaligned(fromByteOffset: block * 32 + 16, as: __m128i.self))
            let d = halves(rows, at: offset)
            let scale = _mm256_castps128_ps256(_mm_mul_ps(d, _mm_set1_ps(scales[block])))
            @inline(__always)
            func products(_ first: UnsafeRawPointer, _ second: UnsafeRawPointer) -> __m256 {
                let bytes = _mm256_set_m128i(
                    second.loadUnaligned(fromByteOffset: offset + nibbles, as: __m128i.self),
                    first.loadUnaligned(fromByteOffset: offset + nibbles, as: __m128i.self))
                return q4PairProducts(bytes, xLow, xHigh)
            }
            acc01 = _mm256_fmadd_ps(
                products(rows.0, rows.1), _mm256_permutevar8x32_ps(scale, firstPair), acc01)
            acc23 = _mm256_fmadd_ps(
                products(rows.2, rows.3), _mm256_permutevar8x32_ps(scale, secondPair), acc23)
            if hasMinimum {
                sumTerms = _mm_fmadd_ps(halves(rows, at: offset + 2), _mm_set1_ps(sums[block]), sumTerms)
            } else {
                sumTerms = _mm_fmadd_ps(d, _mm_set1_ps(-8 * sums[block]), sumTerms)
            }
        }
        return sumRowPairs(acc01, acc23) + sumTerms
    }

    /// Reads the cache lines of the rows that come next while the current ones are multiplied.
    ///
    /// A group of four rows is read as four interleaved streams (block b of each row in turn),
    /// which the hardware prefetcher does not follow: a matrix larger than the cache then streams
    /// at about half the speed of a plain sequential read (measured 6 against 11 GB/s on one
    /// core). Swift has no prefetch instruction (clang's `_m_prefetch` imports as a no-op), so
    /// one byte of each line of the next group is loaded, a few lines per block, spread over the
    /// current group's blocks; the loads miss in the background while the arithmetic goes on.
    /// The bytes read are folded into one value handed to `keepLoads` at the end.
    struct Lookahead {
        private var base: UnsafeRawPointer?
        private var lines = 0
        private var folded: UInt8 = 0

        /// Reads `bytes` from `base` during the next product (nothing when `bytes` is 0).
        @inline(__always)
        mutating func start(at base: UnsafeRawPointer, bytes: Int) {
            self.base = base
            lines = (bytes + 63) / 64
        }

        /// Three lines per block: a group of four rows has at most 4·34/64 ≈ 2.1 lines per block.
        @inline(__always)
        mutating func touch(block: Int) {
            guard let base else { return }
            let first = block &* 3
            if first < lines { folded ^= base.load(fromByteOffset: first &* 64, as: UInt8.self) }
            if first &+ 1 < lines { folded ^= base.load(fromByteOffset: (first &+ 1) &* 64, as: UInt8.self) }
            if first &+ 2 < lines { folded ^= base.load(fromByteOffset: (first &+ 2) &* 64, as: UInt8.self) }
        }

        /// Later vectors of a batch find the lines in cache already.
        @inline(__always)
        mutating func stop() { lines = 0 }

        func finish() { keepLoads(folded) }
    }

    /// Takes the bytes `Lookahead` read, so that the compiler keeps the loads: an unoptimised,
    /// never-inlined call is opaque to it, whereas a store to a private global that nothing reads
    /// was removed together with the loads feeding it.
    @_optimize(none) @inline(never)
    private func keepLoads(_ folded: UInt8) {}

    /// The half-precision values at byte `offset` of four rows, as four floats.
    @inline(__always)
    private func halves(
        _ rows: (UnsafeRawPointer, UnsafeRawPointer, UnsafeRawPointer, UnsafeRawPointer), at offset: Int
    ) -> __m128 {
        func bits(_ row: UnsafeRawPointer) -> Int16 { row.loadUnaligned(fromByteOffset: offset, as: Int16.self) }
        return _mm_cvtph_ps(_mm_setr_epi16(bits(rows.0), bits(rows.1), bits(rows.2), bits(rows.3), 0, 0, 0, 0))
    }
#endif
