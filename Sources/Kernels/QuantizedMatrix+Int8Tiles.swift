#if arch(x86_64)
    import _Builtin_intrinsics.intel
#endif

/// The product of a 4-bit matrix (Q4_0, Q4_1) with many 8-bit activation vectors at once: a
/// prompt's tokens in the fast precision.
///
/// The matrix–vector kernels (`dotInt8`) compute one dot product per row and vector and sum its
/// lanes at the end; with a prompt of hundreds of tokens the same weights are unpacked again for
/// every vector. Here each thread unpacks a panel of 16 rows once into bytes laid out for the
/// tile kernel (`Int8TilePanel`), then runs every activation vector past it, 4 vectors × 8 rows
/// at a time, with the outputs in the lanes:
///
/// - per group of 4 input features, one 32-byte load gives 8 rows' 4 weights (0–15), and per
///   vector one broadcast of its 4 bytes; `vpmaddubsw` multiplies and adds pairs into 16 bits;
/// - the 8 groups of a block add up in 16 bits (a pair is at most 2·15·127 = 3810, eight pairs
///   30,480 < 32,767, so no lane can overflow), then one `vpmaddwd` by ones widens them to 32
///   bits, one conversion makes floats, and one fused multiply-add scales them by d·dx;
/// - the block's offset term (Q4_1's m·Σx, Q4_0's −8d·Σx) is one more multiply-add with the
///   exact block sums, as in `dotInt8`.
///
/// So a block of 32 features costs each vector 8 + 1 integer multiplies for 8 rows' 256
/// multiply-adds, where float32 needs 32 fused multiply-adds: measured on Zen 3 (`rag bench
/// kernels`, 128 vectors, one core) about 155 against 75–80 GFLOP/s for dequantised tiles and
/// `sgemm`. The arithmetic is `dotInt8`'s (exact integer sums per block, the same scales), so
/// the results differ from it only in the order of the float additions.
extension QuantizedMatrix {
    /// Whether `multiplyTiles` handles this matrix: 4-bit block formats.
    var hasInt8Tiles: Bool { format == .q40 || format == .q41 }

    /// y[M×N] = x[M×K]·Wᵀ for the M vectors of `activations`, the rows of W split across `pool`
    /// in panels of 16.
    /// - Precondition: `hasInt8Tiles`.
    /// - Complexity: O(M·N·K) multiply-adds, plus O(N·K) to unpack W.
    func multiplyTiles(
        _ activations: QuantizedActivations, into y: UnsafeMutablePointer<Float>, ldy: Int, pool: WorkerPool
    ) {
        precondition(hasInt8Tiles, "\(format) has no 8-bit tiles")
        let panels = (rows + Int8TilePanel.rows - 1) / Int8TilePanel.rows
        // A few pieces per thread, claimed as threads come free (see `splitRows`).
        let pieces = max(1, min(panels, pool.threadCount * 4))
        let size = (panels + pieces - 1) / pieces
        pool.run((panels + size - 1) / size) { piece in
            let panel = Int8TilePanel(blocks: columns / quantizationBlockSize)
            for index in (piece * size)..<min(panels, (piece + 1) * size) {
                let first = index * Int8TilePanel.rows
                panel.unpack(self, rows: first..<min(rows, first + Int8TilePanel.rows))
                panel.multiply(activations, into: y + first, ldy: ldy)
            }
        }
    }
}

/// 16 rows of a Q4_0 or Q4_1 matrix unpacked for the tile kernel: per block, per group of 4
/// features, two 32-byte records (rows 0–7, then 8–15), each 8 rows × their 4 weights 0–15;
/// then per block the 16 rows' scales d and offsets (m, or −8d for Q4_0) as floats. Rows past
/// the matrix's end are zero and produce nothing.
final class Int8TilePanel {
    static let rows = 16
    static let groupsPerBlock = quantizationBlockSize / 4
    /// Bytes of one block's weights: 8 groups × 16 rows × 4.
    static let blockBytes = groupsPerBlock * rows * 4

    let blocks: Int
    /// Rows of the matrix this panel holds now (the rest are zero).
    private(set) var count = 0
    let values: UnsafeMutableRawPointer
    let scales: UnsafeMutablePointer<Float>
    let offsets: UnsafeMutablePointer<Float>

    init(blocks: Int) {
        self.blocks = blocks
        values = .allocate(byteCount: blocks * Self.blockBytes, alignment: 64)
        scales = .allocate(capacity: blocks * Self.rows)
        offsets = .allocate(capacity: blocks * Self.rows)
    }

    deinit {
        values.deallocate()
        scales.deallocate()
        offsets.deallocate()
    }

    /// Unpacks `range` (at most 16 rows) of `matrix`.
    func unpack(_ matrix: QuantizedMatrix, rows range: Range<Int>) {
        count = range.count
        if count < Self.rows {
            values.initializeMemory(as: UInt8.self, repeating: 0, count: blocks * Self.blockBytes)
            scales.initialize(repeating: 0, count: blocks * Self.rows)
            offsets.initialize(repeating: 0, count: blocks * Self.rows)
        }
        let hasMinimum = matrix.format == .q41
        for (lane, row) in range.enumerated() {
            for block in 0..<blocks {
                let (nibbles, scaleBits, minimumBits) = matrix.block(block, ofRow: row)
                let d = halfToFloat(scaleBits)
                scales[block * Self.rows + lane] = d
                offsets[block * Self.rows + lane] = hasMinimum ? halfToFloat(minimumBits) : -8 * d
                let packed = nibbles.loadUnaligned(as: SIMD16<UInt8>.self)
                var features = SIMD32<UInt8>(lowHalf: packed & 15, highHalf: packed &>> 4)
                // Group g (features 4g…4g+3) goes to record g, half lane / 8, slot lane % 8.
                let target = values + block * Self.blockBytes + (lane / 8) * 32 + (lane % 8) * 4
                withUnsafeBytes(of: &features) { bytes in
                    for group in 0..<Self.groupsPerBlock {
                        target.storeBytes(
                            of: bytes.loadUnaligned(fromByteOffset: group * 4, as: UInt32.self),
                            toByteOffset: group * 2 * 32, as: UInt32.self)
                    }
                }
            }
        }
    }

    /// out[v·ldy + r] = row r · vector v for the panel's rows and every vector of `x`.
    func multiply(_ x: QuantizedActivations, into out: UnsafeMutablePointer<Float>, ldy: Int) {
        #if arch(x86_64)
            let vectors = x.rows
            var first = 0
            while first < vectors {
                let valid = min(4, vectors - first)
                // A tile of fewer than 4 vectors repeats its last one and stores only the valid ones.
                let v = (first, first + min(1, valid - 1), first + min(2, valid - 1), first + valid - 1)
                for half in 0..<2 where half * 8 < count {
                    let sums = tile(x, vectors: v, half: half)
                    let width = min(8, count - half * 8)
                    @inline(__always)
                    func store(_ index: Int, _ sum: __m256) {
                        guard index < valid else { return }
                        let target = out + (first + index) * ldy + half * 8
                        if width == 8 {
                            _mm256_storeu_ps(target, sum)
                        } else {
                            let lanes: SIMD8<Float> = sum
                            for lane in 0..<width { target[lane] = lanes[lane] }
                        }
                    }
                    store(0, sums.0)
                    store(1, sums.1)
                    store(2, sums.2)
                    store(3, sums.3)
                }
                first += valid
            }
        #else
            for vector in 0..<x.rows {
                for row in 0..<count { out[vector * ldy + row] = reference(x, vector: vector, row: row) }
            }
        #endif
    }

    /// Row `row` of the panel · vector `vector` of `x`, one block at a time: the scalar twin of
    /// the tile kernel.
    func reference(_ x: QuantizedActivations, vector: Int, row: Int) -> Float {
        var total: Float = 0
        for block in 0..<blocks {
            var sum: Int32 = 0
            for feature in 0..<quantizationBlockSize {
                let group = feature / 4
                let weight = values.load(
                    fromByteOffset: block * Self.blockBytes + group * 64 + (row / 8) * 32 + (row % 8) * 4 + feature % 4,
                    as: UInt8.self)
                sum += Int32(weight) * Int32(x.values[vector * x.columns + block * quantizationBlockSize + feature])
            }
            let slot = vector * x.blocksPerRow + block
            total += Float(sum) * (scales[block * Self.rows + row] * x.scales[slot])
            total += offsets[block * Self.rows + row] * x.sums[slot]
        }
        return total
    }

    #if arch(x86_64)
        /// The 8 sums of rows 8·half… with each of four vectors.
        @inline(__always)
        private func tile(_ x: QuantizedActivations, vectors v: (Int, Int, Int, Int), half: Int) -> (
            __m256, __m256, __m256, __m256
        ) {
            let stride = x.columns
            let blocksPerRow = x.blocksPerRow
            let base = UnsafeRawPointer(x.values)
            let x0 = base + v.0 * stride
            let x1 = base + v.1 * stride
            let x2 = base + v.2 * stride
            let x3 = base + v.3 * stride
            let s0 = x.scales + v.0 * blocksPerRow
            let s1 = x.scales + v.1 * blocksPerRow
            let s2 = x.scales + v.2 * blocksPerRow
            let s3 = x.scales + v.3 * blocksPerRow
            let t0 = x.sums + v.0 * blocksPerRow
            let t1 = x.sums + v.1 * blocksPerRow
            let t2 = x.sums + v.2 * blocksPerRow
            let t3 = x.sums + v.3 * blocksPerRow
            let ones = _mm256_set1_epi16(1)
            var acc0 = _mm256_setzero_ps()
            var acc1 = acc0
            var acc2 = acc0
            var acc3 = acc0
            let weights = UnsafeRawPointer(values) + half * 32
            for block in 0..<blocks {
                let w = weights + block * Self.blockBytes
                let xOffset = block * quantizationBlockSize
                var i0 = _mm256_setzero_si256()
                var i1 = i0
                var i2 = i0
                var i3 = i0
                for group in 0..<Self.groupsPerBlock {
                    let wv = w.loadUnaligned(fromByteOffset: group * 64, as: __m256i.self)
                    let offset = xOffset + group * 4
                    /// Adds one vector's 4 bytes × the 8 rows' 4 weights, pairwise, to its 16-bit sums.
                    @inline(__always)
                    func add(_ sums: inout __m256i, _ vector: UnsafeRawPointer) {
                        let bytes = _mm256_set1_epi32(vector.loadUnaligned(fromByteOffset: offset, as: Int32.self))
                        sums = _mm256_add_epi16(sums, _mm256_maddubs_epi16(wv, bytes))
                    }
                    add(&i0, x0)
                    add(&i1, x1)
                    add(&i2, x2)
                    add(&i3, x3)
                }
                let d = _mm256_loadu_ps(scales + block * Self.rows + half * 8)
                let m = _mm256_loadu_ps(offsets + block * Self.rows + half * 8)
                @inline(__always)
                func accumulate(_ acc: inout __m256, _ sums: __m256i, _ scale: Float, _ total: Float) {
                    let products = _mm256_cvtepi32_ps(_mm256_madd_epi16(sums, ones))
                    acc = _mm256_fmadd_ps(products, _mm256_mul_ps(d, _mm256_set1_ps(scale)), acc)
                    acc = _mm256_fmadd_ps(m, _mm256_set1_ps(total), acc)
                }
                accumulate(&acc0, i0, s0[block], t0[block])
                accumulate(&acc1, i1, s1[block], t1[block])
                accumulate(&acc2, i2, s2[block], t2[block])
                accumulate(&acc3, i3, s3[block], t3[block])
            }
            return (acc0, acc1, acc2, acc3)
        }
    #endif
}

extension QuantizedMatrix {
    /// Block `block` of row `row` of a Q4_0 or Q4_1 matrix in either layout: its 16 bytes of
    /// nibbles, its scale d and (Q4_1) minimum m as half-precision bits (0 for Q4_0).
    @inline(__always)
    func block(_ block: Int, ofRow row: Int) -> (UnsafeRawPointer, UInt16, UInt16) {
        let hasMinimum = format == .q41
        switch layout {
        case .sequential:
            let start = self.row(row) + block * format.bytesPerBlock
            let minimum = hasMinimum ? start.loadUnaligned(fromByteOffset: 2, as: UInt16.self) : 0
            return (start + (hasMinimum ? 4 : 2), start.loadUnaligned(as: UInt16.self), minimum)
        case .interleaved4:
            // See `QuantizedMatrix+Interleaved.swift`: [d0…d3] ([m0…m3]) [4 × 16 bytes].
            let record = base + row / 4 * 4 * bytesPerRow + block * 4 * format.bytesPerBlock
            let lane = row % 4
            let header = hasMinimum ? 16 : 8
            let minimum = hasMinimum ? record.loadUnaligned(fromByteOffset: 8 + lane * 2, as: UInt16.self) : 0
            return (
                record + header + lane * 16, record.loadUnaligned(fromByteOffset: lane * 2, as: UInt16.self), minimum
            )
        }
    }
}
