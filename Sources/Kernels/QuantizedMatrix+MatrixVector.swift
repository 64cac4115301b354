/// Matrix–vector products y = W·x over a `QuantizedMatrix`: the decoding of one token.

/// How activations enter a product with a quantised matrix.
public enum ActivationPrecision: Sendable, CaseIterable {
    /// Single precision: each row is dequantised and multiplied exactly, as a float32 framework
    /// does after dequantising the model (the reference; matches it to summation order).
    case float32
    /// Activations quantised to 8 bits in blocks of 32 (`QuantizedActivations`) and multiplied
    /// with integer instructions, as llama.cpp's CPU backend does: several times faster on the
    /// block formats, at the price of a small error (logits cosine ≳ 0.99 to float32).
    case int8
}

extension QuantizedMatrix {
    /// y[N] = W·x[K], the rows split across the threads of `pool`.
    ///
    /// Decoding reads every weight once per token, so the speed to aim for is the memory
    /// bandwidth: bytes of weights read per second. With `.int8` the vector is quantised here
    /// first; to use one quantisation for several matrices, call `multiply(_:vector:into:pool:)`.
    /// - Complexity: O(N·K).
    public func multiply(
        _ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, precision: ActivationPrecision = .float32,
        pool: WorkerPool = .shared
    ) {
        if precision == .int8 && format.isBlockQuantized {
            // The shape was checked when the matrix was made, so the activations' cannot fail.
            let activations = try! QuantizedActivations(columns: columns)
            activations.quantize(x)
            multiply(activations, into: y, pool: pool)
            return
        }
        forEachRowRange(pool: pool) { range in
            for index in range { y[index] = referenceDot(row: index, x) }
        }
    }

    /// y[N] = W·x[K] with x the activation vector `vector` of `activations`, quantised before.
    /// - Complexity: O(N·K).
    public func multiply(
        _ activations: QuantizedActivations, vector: Int = 0, into y: UnsafeMutablePointer<Float>,
        pool: WorkerPool = .shared
    ) {
        checkActivations(activations, vector: vector)
        forEachRowRange(pool: pool) { range in
            dotInt8(rows: range, activations, vectors: vector..<(vector + 1), into: y + range.lowerBound, ldo: rows)
        }
    }

    /// Runs `body` over contiguous ranges of rows that together cover every row once, in
    /// parallel on `pool`.
    func forEachRowRange(pool: WorkerPool, _ body: (Range<Int>) -> Void) {
        Self.splitRows(rows, bytes: byteCount, pool: pool, body)
    }

    /// Splits 0..<rows into pieces run in parallel on `pool`.
    ///
    /// A few pieces per thread, claimed as threads come free, so that a core slowed by another
    /// process does not hold up the whole product; pieces are whole multiples of 4 rows (the
    /// int8 kernels' step) and at least 16 KB of weights, so a small matrix stays on one thread.
    static func splitRows(_ rows: Int, bytes: Int, pool: WorkerPool, _ body: (Range<Int>) -> Void) {
        let piecesPerThread = 4
        let minimumBytesPerPiece = 16 * 1024
        let pieces = max(1, min(pool.threadCount * piecesPerThread, bytes / minimumBytesPerPiece, rows / 4))
        if pieces == 1 {
            body(0..<rows)
            return
        }
        let size = ((rows + pieces - 1) / pieces + 3) / 4 * 4
        let count = (rows + size - 1) / size
        pool.run(count) { piece in
            body((piece * size)..<min(rows, (piece + 1) * size))
        }
    }
}
