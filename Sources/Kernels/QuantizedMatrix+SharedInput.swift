/// Several matrix–vector products that read the same vector, run as one parallel job.
///
/// A decoder layer multiplies its normalised input by q, k and v, and its MLP input by gate and
/// up. Each product is a job for the worker pool, and with matrices as small as k and v
/// (192×576, 69 KB of Q4_1, a few microseconds) the hand-over costs as much as the arithmetic;
/// one job over the rows of all of them halves the hand-overs of a decoding step.

extension QuantizedMatrix {
    /// outputs[i][N_i] = matrices[i]·x for every matrix, from one vector `x` of K floats.
    ///
    /// With `.int8` the vector is quantised once for all the matrices (when every matrix is in a
    /// block format; otherwise all take the float32 path).
    /// - Precondition: every matrix has K = `columns` of the others; one output per matrix.
    /// - Complexity: O(ΣN_i·K).
    public static func multiply(
        _ matrices: [QuantizedMatrix], _ x: UnsafePointer<Float>, into outputs: [UnsafeMutablePointer<Float>],
        precision: ActivationPrecision = .float32, pool: WorkerPool = .shared
    ) {
        guard let first = matrices.first else { return }
        if precision == .int8 && matrices.allSatisfy(\.format.isBlockQuantized) {
            // Block formats have whole blocks of 32 columns, so the activations' shape cannot fail.
            let activations = try! QuantizedActivations(columns: first.columns)
            activations.quantize(x)
            multiply(matrices, activations, into: outputs, pool: pool)
            return
        }
        forEachRowRange(of: matrices, outputs: outputs, pool: pool) { matrix, range, y in
            for index in range { y[index] = matrix.referenceDot(row: index, x) }
        }
    }

    /// outputs[i][N_i] = matrices[i]·x for every matrix, with x the activation vector `vector` of
    /// `activations`.
    /// - Precondition: every matrix has the activations' K columns; one output per matrix.
    /// - Complexity: O(ΣN_i·K).
    public static func multiply(
        _ matrices: [QuantizedMatrix], _ activations: QuantizedActivations, vector: Int = 0,
        into outputs: [UnsafeMutablePointer<Float>], pool: WorkerPool = .shared
    ) {
        for matrix in matrices { matrix.checkActivations(activations, vector: vector) }
        forEachRowRange(of: matrices, outputs: outputs, pool: pool) { matrix, range, y in
            matrix.dotInt8(
                rows: range, activations, vectors: vector..<(vector + 1), into: y + range.lowerBound, ldo: matrix.rows)
        }
    }

    /// Runs `body(matrix, rows, output)` over pieces that cover every row of every matrix once,
    /// counting the rows of all the matrices one after another, in parallel on `pool`.
    private static func forEachRowRange(
        of matrices: [QuantizedMatrix], outputs: [UnsafeMutablePointer<Float>], pool: WorkerPool,
        _ body: (QuantizedMatrix, Range<Int>, UnsafeMutablePointer<Float>) -> Void
    ) {
        precondition(matrices.count == outputs.count, "\(matrices.count) matrices but \(outputs.count) outputs")
        precondition(
            matrices.allSatisfy { $0.columns == matrices[0].columns }, "the matrices must have the same columns")
        let rows = matrices.reduce(0) { $0 + $1.rows }
        let bytes = matrices.reduce(0) { $0 + $1.byteCount }
        splitRows(rows, bytes: bytes, pool: pool) { piece in
            var start = 0
            for (index, matrix) in matrices.enumerated() {
                let lower = max(piece.lowerBound, start)
                let upper = min(piece.upperBound, start + matrix.rows)
                if lower < upper { body(matrix, (lower - start)..<(upper - start), outputs[index]) }
                start += matrix.rows
            }
        }
    }
}
