/// A linear layer's weight matrix repacked for the matrix-product kernel below.
///
/// PyTorch stores a `Linear` weight as N rows of K (`[out, in]`). Here it is cut into panels of
/// 16 output columns, each laid out `[K][16]`: the kernel then reads one contiguous 64-byte
/// vector per input feature, and no packing happens at call time. OpenBLAS repacks its operand on
/// every call, which for a short input (a 20-token query) costs as much as the product itself;
/// packing once at load removes that, and the same kernel also keeps pace with OpenBLAS on large
/// batches (measured ~80-90 GFLOP/s per core either way).
///
/// Dimension letters: M input rows (tokens), K input features, N output features.
public final class PackedWeights: @unchecked Sendable {
    /// Output features (N).
    public let outputs: Int
    /// Input features (K).
    public let inputs: Int
    /// Panels of 16 output columns; the last one is zero-padded.
    public let panelCount: Int
    /// (panelCount, K, 16). Written once in `init`, only read afterwards: safe to share.
    private let storage: UnsafeMutablePointer<Float>

    public static let panelWidth = 16

    /// Packs `weights`, N rows of K floats.
    public init(rowMajor weights: UnsafePointer<Float>, outputs n: Int, inputs k: Int) {
        outputs = n
        inputs = k
        panelCount = (n + Self.panelWidth - 1) / Self.panelWidth
        let count = max(panelCount * k * Self.panelWidth, 1)
        storage = .allocate(capacity: count)
        storage.initialize(repeating: 0, count: count)
        for column in 0..<n {
            let panel = storage + (column / Self.panelWidth) * k * Self.panelWidth + column % Self.panelWidth
            let source = weights + column * k
            for feature in 0..<k { panel[feature * Self.panelWidth] = source[feature] }
        }
    }

    deinit { storage.deallocate() }

    /// Writes the weights back as N rows of K floats (`[out, in]`), e.g. to quantise them.
    public func unpack(into weights: UnsafeMutablePointer<Float>) {
        for column in 0..<outputs {
            let panel = storage + (column / Self.panelWidth) * inputs * Self.panelWidth + column % Self.panelWidth
            let target = weights + column * inputs
            for feature in 0..<inputs { target[feature] = panel[feature * Self.panelWidth] }
        }
    }

    /// What to apply to each output before it is stored.
    public enum Activation: Sendable {
        case none
        /// GELU with the exact error function (`geluInPlace`).
        case gelu
    }

    /// out[M×N] = activation(x[M×K] · Wᵀ + bias) for the output columns of `panels`.
    ///
    /// Four input rows share each weight vector (four 16-lane accumulators, eight AVX registers)
    /// and the bias starts the accumulators. Rows go in blocks whose inputs (~256 KB) stay in L2
    /// while every panel passes over them. Threads may run disjoint panel ranges concurrently.
    /// - Parameters:
    ///   - x: M rows of K floats, `ldx` apart.
    ///   - bias: N floats, or nil for none.
    ///   - out: M rows of N floats, `ldo` apart.
    ///   - panels: which 16-column panels to compute; nil for all.
    /// - Complexity: O(M·N·K).
    public func multiply(
        _ x: UnsafePointer<Float>, rows m: Int, ldx: Int? = nil, bias: UnsafePointer<Float>?,
        activation: Activation = .none, into out: UnsafeMutablePointer<Float>, ldo: Int? = nil,
        panels: Range<Int>? = nil
    ) {
        let k = inputs
        let ldx = ldx ?? k
        let ldo = ldo ?? outputs
        let rowBlock = max(4, (65_536 / max(k, 1)) / 4 * 4)
        let panels = panels ?? 0..<panelCount
        let firstColumn = panels.lowerBound * Self.panelWidth
        let columns = min(panels.upperBound * Self.panelWidth, outputs) - firstColumn
        var blockStart = 0
        while blockStart < m {
            let blockRows = min(rowBlock, m - blockStart)
            for panel in panels {
                multiplyPanel(
                    panel, x + blockStart * ldx, rows: blockRows, ldx: ldx, bias: bias, into: out + blockStart * ldo,
                    ldo: ldo)
            }
            // The activation runs while the block's outputs are still in cache; fused into the
            // kernel's stores it compiled to much slower code.
            if case .gelu = activation, columns > 0 {
                for row in blockStart..<(blockStart + blockRows) {
                    geluInPlace(out + row * ldo + firstColumn, count: columns)
                }
            }
            blockStart += blockRows
        }
    }

    /// One panel (16 output columns) for `m` rows.
    @inline(__always)
    private func multiplyPanel(
        _ panel: Int, _ x: UnsafePointer<Float>, rows m: Int, ldx: Int, bias: UnsafePointer<Float>?,
        into out: UnsafeMutablePointer<Float>, ldo: Int
    ) {
        let k = inputs
        let weights = UnsafeRawPointer(storage) + panel * k * Self.panelWidth * 4
        let firstColumn = panel * Self.panelWidth
        let width = min(Self.panelWidth, outputs - firstColumn)
        var start = Float16x(repeating: 0)
        if let bias {
            for lane in 0..<width { start[lane] = bias[firstColumn + lane] }
        }
        var row = 0
        while row + 4 <= m {
            var a0 = start
            var a1 = start
            var a2 = start
            var a3 = start
            let x0 = x + row * ldx
            let x1 = x0 + ldx
            let x2 = x1 + ldx
            let x3 = x2 + ldx
            for feature in 0..<k {
                let w = weights.loadUnaligned(fromByteOffset: feature * 64, as: Float16x.self)
                a0.addProduct(w, Float16x(repeating: x0[feature]))
                a1.addProduct(w, Float16x(repeating: x1[feature]))
                a2.addProduct(w, Float16x(repeating: x2[feature]))
                a3.addProduct(w, Float16x(repeating: x3[feature]))
            }
            let target = out + row * ldo + firstColumn
            store(a0, target, width)
            store(a1, target + ldo, width)
            store(a2, target + 2 * ldo, width)
            store(a3, target + 3 * ldo, width)
            row += 4
        }
        while row < m {
            var a0 = start
            let x0 = x + row * ldx
            for feature in 0..<k {
                a0.addProduct(
                    weights.loadUnaligned(fromByteOffset: feature * 64, as: Float16x.self),
                    Float16x(repeating: x0[feature]))
            }
            store(a0, out + row * ldo + firstColumn, width)
            row += 1
        }
    }

    @inline(__always)
    private func store(_ value: Float16x, _ target: UnsafeMutablePointer<Float>, _ width: Int) {
        if width == Self.panelWidth {
            UnsafeMutableRawPointer(target).storeBytes(of: value, as: Float16x.self)
        } else {
            for lane in 0..<width { target[lane] = value[lane] }
        }
    }
}
