/// A read-only view of a weight matrix in one of the `QuantizationFormat`s: `rows` rows of
/// `columns` values, each `bytesPerRow` bytes, stored one after another from `base`.
///
/// The view owns nothing: the bytes usually live in a memory-mapped model file, and the caller
/// keeps them alive while the view is used. Shapes are checked once, here, so that the kernels
/// behind it need no checks of their own. A row is one output feature (ggml's ne1; the values
/// along a row are input features, ne0), so W·x gives one value per row.
///
/// Dimension letters for the products: N rows of the matrix (outputs), K columns (inputs),
/// M activation vectors.
public struct QuantizedMatrix: @unchecked Sendable {
    /// The first byte of row 0.
    public let base: UnsafeRawPointer
    /// Output features (N).
    public let rows: Int
    /// Input features (K).
    public let columns: Int
    public let format: QuantizationFormat
    /// Bytes one row takes (from one row to the next in the `.sequential` layout).
    public let bytesPerRow: Int
    /// How the rows' blocks are ordered in memory.
    public let layout: RowLayout

    /// A view of `rows` rows of `columns` values in `format` starting at `base`.
    /// - Throws: `KernelError.invalidDimension` for fewer than 1 row or column,
    ///   `KernelError.rowLengthNotBlockMultiple` when a row does not divide into whole blocks,
    ///   `KernelError.misaligned` when F32 or F16 data does not start on a multiple of its element size.
    public init(base: UnsafeRawPointer, rows: Int, columns: Int, format: QuantizationFormat) throws(KernelError) {
        guard rows >= 1 else { throw .invalidDimension(name: "rows", value: rows) }
        self.bytesPerRow = try format.bytesPerRow(columns: columns)
        if !format.isBlockQuantized, Int(bitPattern: base) % format.bytesPerBlock != 0 {
            throw .misaligned(format: format, alignment: format.bytesPerBlock)
        }
        self.base = base
        self.rows = rows
        self.columns = columns
        self.format = format
        self.layout = .sequential
    }

    /// A view of `bytes`, which must hold exactly `rows` rows of `columns` values in `format`.
    /// - Throws: as `init(base:rows:columns:format:)`, and `KernelError.byteCountMismatch` when
    ///   the byte count is not the one the shape needs.
    public init(bytes: UnsafeRawBufferPointer, rows: Int, columns: Int, format: QuantizationFormat)
        throws(KernelError)
    {
        guard let base = bytes.baseAddress else { throw .invalidDimension(name: "bytes", value: 0) }
        try self.init(base: base, rows: rows, columns: columns, format: format)
        guard bytes.count == byteCount else {
            throw .byteCountMismatch(
                format: format, rows: rows, columns: columns, expected: byteCount, found: bytes.count)
        }
    }

    /// Bytes the whole matrix takes.
    public var byteCount: Int { rows * bytesPerRow }

    /// The first byte of row `index` (`.sequential` layout only: interleaved rows have no single start).
    @inline(__always)
    public func row(_ index: Int) -> UnsafeRawPointer {
        assert(layout == .sequential, "row(_:) of an interleaved matrix")
        return base + index * bytesPerRow
    }

    /// The rows in `range` as a matrix of their own (a tile of output features); with interleaved
    /// rows the range must start on a group of four.
    public func rows(_ range: Range<Int>) -> QuantizedMatrix {
        precondition(range.lowerBound >= 0 && range.upperBound <= rows && !range.isEmpty, "rows \(range) of \(rows)")
        precondition(layout == .sequential || range.lowerBound % 4 == 0, "interleaved rows \(range)")
        return QuantizedMatrix(
            unchecked: base + range.lowerBound * bytesPerRow, rows: range.count, columns: columns, format: format,
            bytesPerRow: bytesPerRow, layout: layout)
    }

    init(
        unchecked base: UnsafeRawPointer, rows: Int, columns: Int, format: QuantizationFormat, bytesPerRow: Int,
        layout: RowLayout
    ) {
        self.base = base
        self.rows = rows
        self.columns = columns
        self.format = format
        self.bytesPerRow = bytesPerRow
        self.layout = layout
    }

    /// Writes row `index` as `columns` floats (exact).
    /// - Complexity: O(K).
    public func dequantizeRow(_ index: Int, into out: UnsafeMutablePointer<Float>) {
        precondition(index >= 0 && index < rows, "row \(index) of \(rows)")
        switch layout {
        case .sequential: Kernels.dequantizeRow(row(index), format: format, columns: columns, into: out)
        case .interleaved4: dequantizeInterleavedRow(index, blocks: 0..<(columns / quantizationBlockSize), into: out)
        }
    }

    /// Writes the rows in `range` as floats, `range.count × columns` row-major.
    /// - Complexity: O(range.count · K).
    public func dequantize(rows range: Range<Int>, into out: UnsafeMutablePointer<Float>) {
        precondition(range.lowerBound >= 0 && range.upperBound <= rows, "rows \(range) of \(rows)")
        for index in range { dequantizeRow(index, into: out + (index - range.lowerBound) * columns) }
    }

    /// Σ W[row, i]·x[i] with `x` in single precision: the exact reference.
    /// - Complexity: O(K).
    public func dot(row index: Int, _ x: UnsafePointer<Float>) -> Float {
        precondition(index >= 0 && index < rows, "row \(index) of \(rows)")
        return referenceDot(row: index, x)
    }

    /// `dot(row:_:)` without the bounds check, for the products' inner loops.
    @inline(__always)
    func referenceDot(row index: Int, _ x: UnsafePointer<Float>) -> Float {
        switch layout {
        case .sequential: return dotReference(row(index), format: format, columns: columns, x)
        case .interleaved4: return interleavedReferenceDot(row: index, x)
        }
    }

    /// Σ W[row, i]·x[i] with `x` quantised to 8 bits (row `vector` of `activations`): the fast
    /// path for the block formats. F32 and F16 rows are multiplied with the dequantised
    /// activations in single precision.
    /// - Complexity: O(K).
    public func dot(row index: Int, _ activations: QuantizedActivations, vector: Int = 0) -> Float {
        precondition(index >= 0 && index < rows, "row \(index) of \(rows)")
        checkActivations(activations, vector: vector)
        var result: Float = 0
        dotInt8(rows: index..<(index + 1), activations, vectors: vector..<(vector + 1), into: &result, ldo: 1)
        return result
    }

    func checkActivations(_ activations: QuantizedActivations, vector: Int) {
        precondition(
            activations.columns == columns, "activations of \(activations.columns) values for \(columns) columns")
        precondition(vector >= 0 && vector < activations.rows, "vector \(vector) of \(activations.rows)")
    }

    /// The formats without an 8-bit kernel: activations back to floats, then the float path.
    func dotDequantizedActivations(
        rows range: Range<Int>, _ activations: QuantizedActivations, vectors: Range<Int>,
        into out: UnsafeMutablePointer<Float>, ldo: Int
    ) {
        let x = UnsafeMutablePointer<Float>.allocate(capacity: columns)
        defer { x.deallocate() }
        for vector in vectors {
            for column in 0..<columns { x[column] = activations.dequantized(row: vector, column: column) }
            for index in range {
                out[(vector - vectors.lowerBound) * ldo + index - range.lowerBound] = referenceDot(row: index, x)
            }
        }
    }
}
