#if arch(x86_64)
    import _Builtin_intrinsics.intel
#endif

/// Dot products of block-quantised rows with `QuantizedActivations`, on AVX2 integer instructions.
///
/// Per block of 32 values and per row: unpack the weights to 32 bytes, one `vpmaddubsw`
/// (unsigned weight byte × signed activation byte, adjacent pairs summed to 16-bit lanes),
/// one `vpmaddwd` by ones (pairs of 16-bit lanes summed to eight 32-bit lanes), one
/// conversion to float, and one fused multiply-add by the two scales. Four rows go together
/// so that each block of activations is loaded once for four rows and four independent
/// accumulator chains hide the latency of the multiply-adds.
///
/// The compiler does not produce `vpmaddwd` from Swift's SIMD types or scalar loops, so these
/// kernels call the AVX2 intrinsics that clang's builtin headers define (its
/// `_Builtin_intrinsics` module), which compile to single instructions.
///
/// No lane can overflow: 4-bit weights give pairs of at most 2·15·127 = 3810, Q8_0 weights
/// (made non-negative with the sign moved onto the activation) at most 2·128·127 = 32512.

extension QuantizedMatrix {
    /// out[v·ldo + r − range.lowerBound] = row r · activation vector `vectors.lowerBound + v`, for
    /// r in `range` and every vector in `vectors`.
    ///
    /// Rows go four at a time, and each group of four meets every vector while its ~1.4 KB of
    /// weights stay in L1.
    func dotInt8(
        rows range: Range<Int>, _ activations: QuantizedActivations, vectors: Range<Int>,
        into out: UnsafeMutablePointer<Float>, ldo: Int
    ) {
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
        private func dotInt8Rows<Kernel: Int8BlockKernel>(
            _ kernel: Kernel.Type, _ range: Range<Int>, _ activations: QuantizedActivations, _ vectors: Range<Int>,
            into out: UnsafeMutablePointer<Float>, ldo: Int
        ) {
            var index = range.lowerBound
            while index + 4 <= range.upperBound {
                for vector in vectors {
                    dotInt8Rows4(
                        kernel, row(index), stride: bytesPerRow, activations, vector: vector,
                        into: out + (vector - vectors.lowerBound) * ldo + (index - range.lowerBound))
                }
                index += 4
            }
            while index < range.upperBound {
                for vector in vectors {
                    out[(vector - vectors.lowerBound) * ldo + (index - range.lowerBound)] = dotInt8Row(
                        kernel, row(index), activations, vector: vector)
                }
                index += 1
            }
        }
    #endif
}

#if arch(x86_64)
    /// How one block format turns into integer products.
    protocol Int8BlockKernel {
        /// Bytes per block.
        static var blockBytes: Int { get }
        /// Whether the block has a term proportional to Σx (Q4_1's offset, Q4_0's centre of 8).
        static var hasSumTerm: Bool { get }
        /// For the block at `block`: the eight partial sums of q·x as floats, the scale d, and the
        /// factor of Σx (m for Q4_1, −8d for Q4_0, unused for Q8_0).
        static func products(_ block: UnsafeRawPointer, _ x: __m256i) -> (__m256, Float, Float)
    }

    enum Q40Kernel: Int8BlockKernel {
        static var blockBytes: Int { 18 }  // BlockQ4_0.byteCount
        static var hasSumTerm: Bool { true }
        @inline(__always)
        static func products(_ block: UnsafeRawPointer, _ x: __m256i) -> (__m256, Float, Float) {
            let d = Float(Float16(bitPattern: block.loadUnaligned(as: UInt16.self)))
            let q = unpackNibbles(block.loadUnaligned(fromByteOffset: 2, as: __m128i.self))
            return (pairSums(_mm256_maddubs_epi16(q, x)), d, -8 * d)
        }
    }

    enum Q41Kernel: Int8BlockKernel {
        static var blockBytes: Int { 20 }  // BlockQ4_1.byteCount
        static var hasSumTerm: Bool { true }
        @inline(__always)
        static func products(_ block: UnsafeRawPointer, _ x: __m256i) -> (__m256, Float, Float) {
            let d = Float(Float16(bitPattern: block.loadUnaligned(as: UInt16.self)))
            let m = Float(Float16(bitPattern: block.loadUnaligned(fromByteOffset: 2, as: UInt16.self)))
            let q = unpackNibbles(block.loadUnaligned(fromByteOffset: 4, as: __m128i.self))
            return (pairSums(_mm256_maddubs_epi16(q, x)), d, m)
        }
    }

    enum Q80Kernel: Int8BlockKernel {
        static var blockBytes: Int { 34 }  // BlockQ8_0.byteCount
        static var hasSumTerm: Bool { false }
        @inline(__always)
        static func products(_ block: UnsafeRawPointer, _ x: __m256i) -> (__m256, Float, Float) {
            let d = Float(Float16(bitPattern: block.loadUnaligned(as: UInt16.self)))
            let q = block.loadUnaligned(fromByteOffset: 2, as: __m256i.self)
            // vpmaddubsw wants one unsigned operand: |q| times x with q's sign.
            let products = _mm256_maddubs_epi16(_mm256_sign_epi8(q, q), _mm256_sign_epi8(x, q))
            return (pairSums(products), d, 0)
        }
    }

    /// 16 bytes of nibbles to 32 bytes in value order: low nibbles (values 0–15), then high (16–31).
    @inline(__always)
    private func unpackNibbles(_ bytes: __m128i) -> __m256i {
        _mm256_and_si256(_mm256_set_m128i(_mm_srli_epi16(bytes, 4), bytes), _mm256_set1_epi8(15))
    }

    /// Sixteen 16-bit lanes summed in adjacent pairs to eight 32-bit lanes, as floats.
    @inline(__always)
    private func pairSums(_ products: __m256i) -> __m256 {
        _mm256_cvtepi32_ps(_mm256_madd_epi16(products, _mm256_set1_epi16(1)))
    }

    /// out[0..<4] = the dot products of rows `row`, `row + stride`, … with activation row `vector`.
    @inline(__always)
    func dotInt8Rows4<Kernel: Int8BlockKernel>(
        _ kernel: Kernel.Type, _ row: UnsafeRawPointer, stride: Int, _ activations: QuantizedActivations,
        vector: Int, into out: UnsafeMutablePointer<Float>
    ) {
        let blocks = activations.blocksPerRow
        let x = UnsafeRawPointer(activations.values + vector * activations.columns)
        let scales = activations.scales + vector * blocks
        let sums = activations.sums + vector * blocks
        var acc0 = _mm256_setzero_ps()
        var acc1 = acc0
        var acc2 = acc0
        var acc3 = acc0
        var sumTerms = SIMD4<Float>(repeating: 0)
        for block in 0..<blocks {
            let xv = x.loadUnaligned(fromByteOffset: block * 32, as: __m256i.self)
            let dx = _mm256_set1_ps(scales[block])
            let offset = block * Kernel.blockBytes
            let (p0, d0, m0) = Kernel.products(row + offset, xv)
            let (p1, d1, m1) = Kernel.products(row + stride + offset, xv)
            let (p2, d2, m2) = Kernel.products(row + 2 * stride + offset, xv)
            let (p3, d3, m3) = Kernel.products(row + 3 * stride + offset, xv)
            acc0 = _mm256_fmadd_ps(_mm256_mul_ps(p0, dx), _mm256_set1_ps(d0), acc0)
            acc1 = _mm256_fmadd_ps(_mm256_mul_ps(p1, dx), _mm256_set1_ps(d1), acc1)
            acc2 = _mm256_fmadd_ps(_mm256_mul_ps(p2, dx), _mm256_set1_ps(d2), acc2)
            acc3 = _mm256_fmadd_ps(_mm256_mul_ps(p3, dx), _mm256_set1_ps(d3), acc3)
            if Kernel.hasSumTerm {
                sumTerms.addProduct(SIMD4(m0, m1, m2, m3), SIMD4(repeating: sums[block]))
            }
        }
        // Three horizontal adds leave row r's eight lanes summed in lanes r and r + 4.
        let pairs = _mm256_hadd_ps(_mm256_hadd_ps(acc0, acc1), _mm256_hadd_ps(acc2, acc3))
        UnsafeMutableRawPointer(out).storeBytes(of: pairs.lowHalf + pairs.highHalf + sumTerms, as: SIMD4<Float>.self)
    }

    /// The dot product of one row with activation row `vector`.
    @inline(__always)
    func dotInt8Row<Kernel: Int8BlockKernel>(
        _ kernel: Kernel.Type, _ row: UnsafeRawPointer, _ activations: QuantizedActivations, vector: Int
    ) -> Float {
        let blocks = activations.blocksPerRow
        let x = UnsafeRawPointer(activations.values + vector * activations.columns)
        let scales = activations.scales + vector * blocks
        let sums = activations.sums + vector * blocks
        var acc = _mm256_setzero_ps()
        var sumTerm: Float = 0
        for block in 0..<blocks {
            let xv = x.loadUnaligned(fromByteOffset: block * 32, as: __m256i.self)
            let (p, d, m) = Kernel.products(row + block * Kernel.blockBytes, xv)
            acc = _mm256_fmadd_ps(_mm256_mul_ps(p, _mm256_set1_ps(scales[block])), _mm256_set1_ps(d), acc)
            if Kernel.hasSumTerm { sumTerm.addProduct(m, sums[block]) }
        }
        // The same order of sums as `dotInt8Rows4`, so that a row gives the same bits either way.
        let pairs = _mm256_hadd_ps(_mm256_hadd_ps(acc, acc), acc)
        return pairs[0] + pairs[4] + sumTerm
    }
#endif
