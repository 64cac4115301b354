import CBLAS

/// The product of a quantised matrix with many activation vectors at once: the prompt (prefill).

extension QuantizedMatrix {
    /// y[M×N] = x[M×K] · Wᵀ, exact in single precision, the rows of W split across `pool`.
    ///
    /// Each thread dequantises its share of W a tile at a time (about 1 MB of floats, which stays
    /// in L2/L3) and multiplies the tile with OpenBLAS's `sgemm`, which runs at the machine's
    /// float32 peak once M is a few dozen; dequantising costs O(N·K) against the product's
    /// O(M·N·K). For a handful of vectors the tiles are not worth it and each vector goes through
    /// the matrix–vector product instead. OpenBLAS must run single-threaded (`BLASThreads.set(1)`)
    /// so that its threads do not fight the pool's.
    /// - Parameters:
    ///   - x: M rows of K floats, `ldx` apart (default K).
    ///   - y: M rows of N floats, `ldy` apart (default N).
    /// - Complexity: O(M·N·K).
    public func multiply(
        batch x: UnsafePointer<Float>, count m: Int, ldx: Int? = nil, into y: UnsafeMutablePointer<Float>,
        ldy: Int? = nil, pool: WorkerPool = .shared
    ) {
        let ldx = ldx ?? columns
        let ldy = ldy ?? rows
        guard m > 0 else { return }
        if m < Self.minimumBatchForTiles {
            for vector in 0..<m {
                multiply(x + vector * ldx, into: y + vector * ldy, precision: .float32, pool: pool)
            }
            return
        }
        let tileRows = max(16, Self.tileFloats / columns / 16 * 16)
        let parts = min(pool.threadCount, (rows + 15) / 16)
        let share = ((rows + parts - 1) / parts + 15) / 16 * 16
        pool.run((rows + share - 1) / share) { part in
            let first = part * share
            let last = min(rows, first + share)
            let tile = UnsafeMutablePointer<Float>.allocate(capacity: min(tileRows, last - first) * columns)
            defer { tile.deallocate() }
            var start = first
            while start < last {
                let count = min(tileRows, last - start)
                dequantize(rows: start..<(start + count), into: tile)
                cblas_sgemm(
                    CblasRowMajor, CblasNoTrans, CblasTrans, Int32(m), Int32(count), Int32(columns),
                    1, x, Int32(ldx), tile, Int32(columns), 0, y + start, Int32(ldy))
                start += count
            }
        }
    }

    /// y[M×N] = x[M×K] · Wᵀ with the M vectors of `activations` (quantised to 8 bits). From
    /// `minimumBatchForInt8Tiles` vectors on, 4-bit matrices run the tile kernel
    /// (`multiplyTiles`); otherwise the int8 dot kernels run over each vector in turn while four
    /// rows of W stay in L1.
    /// - Complexity: O(M·N·K).
    public func multiply(
        batch activations: QuantizedActivations, into y: UnsafeMutablePointer<Float>, ldy: Int? = nil,
        pool: WorkerPool = .shared
    ) {
        let ldy = ldy ?? rows
        guard activations.rows > 0 else { return }
        checkActivations(activations, vector: 0)
        if hasInt8Tiles, activations.rows >= Self.minimumBatchForInt8Tiles {
            multiplyTiles(activations, into: y, ldy: ldy, pool: pool)
            return
        }
        forEachRowRange(pool: pool) { range in
            dotInt8(rows: range, activations, vectors: 0..<activations.rows, into: y + range.lowerBound, ldo: ldy)
        }
    }

    /// Below this many vectors the batched product runs one matrix–vector product per vector.
    static let minimumBatchForTiles = 2
    /// From this many vectors on, 4-bit matrices use the tile kernel.
    static let minimumBatchForInt8Tiles = 4
    /// Floats per dequantised tile and thread (1 MB).
    static let tileFloats = 262_144
}
