#if arch(x86_64)
    import _Builtin_intrinsics.intel
#endif

/// The integer matrix product of `Int8Activations` with `Int8PackedWeights`, and its scalar
/// reference.
///
/// Kernel: a tile of 4 activation rows × 16 outputs keeps eight 32-bit accumulators (eight AVX
/// registers). Per group of 4 input features it loads two weight vectors (8 outputs × 4 bytes
/// each) and, per row, broadcasts the row's 4 bytes; `vpmaddubsw` multiplies bytes and adds
/// adjacent pairs into 16-bit lanes; two groups' lanes are added, and `vpmaddwd` by ones adds
/// adjacent lanes into 32-bit ones: 64 multiply-adds per three multiplier instructions, about
/// twice the float32 kernel's rate. No lane can saturate (see `Int8Encoding` and
/// `Int8PackedWeights.laneMagnitudeLimit`), and 32-bit sums cannot overflow below K = 133,000
/// (127·127 per product).
///
/// The epilogue turns each row's sums into floats: subtract z·Σq_w, scale by s·w_s, add the
/// bias, store. Then, per block of rows, each row adds its outlier features' products (value ×
/// float16 row of Wᵀ, over the panels' columns), and GELU follows, as in `PackedWeights.multiply`
/// but with `geluApproximateInPlace`: the result feeds another 8-bit quantisation.
extension Int8PackedWeights {
    /// out[M×N] = activation(x · Wᵀ + bias) for the output columns of `panels`, M = `x.rows`.
    ///
    /// Threads may run disjoint panel ranges concurrently.
    /// - Parameters:
    ///   - x: activations quantised `for` these weights.
    ///   - bias: N floats, or nil for none.
    ///   - out: M rows of N floats, `ldo` apart.
    ///   - panels: which 16-column panels to compute; nil for all.
    /// - Complexity: O(M·N·K).
    public func multiply(
        _ x: Int8Activations, bias: UnsafePointer<Float>?, activation: PackedWeights.Activation = .none,
        into out: UnsafeMutablePointer<Float>, ldo: Int? = nil, panels: Range<Int>? = nil
    ) {
        check(x)
        let ldo = ldo ?? outputs
        let panels = panels ?? 0..<panelCount
        #if arch(x86_64)
            let sink = FloatSink(weights: self, x: x, bias: bias, out: out, ldo: ldo)
            let firstColumn = panels.lowerBound * Self.panelWidth
            let columns = min(panels.upperBound * Self.panelWidth, outputs) - firstColumn
            forEachRowBlock(x) { block in
                switch encoding {
                case .unsigned7: multiplyPanels(Unsigned7Products.self, x, rows: block, panels: panels, sink)
                case .signed8: multiplyPanels(Signed8Products.self, x, rows: block, panels: panels, sink)
                }
                addOutliers(x, rows: block, panels: panels, into: out, ldo: ldo)
                // While the block's outputs are still in cache.
                if case .gelu = activation, columns > 0 {
                    for row in block { geluApproximateInPlace(out + row * ldo + firstColumn, count: columns) }
                }
            }
        #else
            multiplyReference(x, bias: bias, activation: activation, into: out, ldo: ldo, panels: panels)
        #endif
    }

    /// The scalar reference of `multiply`: the same integer sums and the same float arithmetic,
    /// one output at a time; GELU through `geluReference`.
    /// - Complexity: O(M·N·K).
    public func multiplyReference(
        _ x: Int8Activations, bias: UnsafePointer<Float>?, activation: PackedWeights.Activation = .none,
        into out: UnsafeMutablePointer<Float>, ldo: Int? = nil, panels: Range<Int>? = nil
    ) {
        check(x)
        let ldo = ldo ?? outputs
        let panels = panels ?? 0..<panelCount
        let columns = (panels.lowerBound * Self.panelWidth)..<min(panels.upperBound * Self.panelWidth, outputs)
        for row in 0..<x.rows {
            for output in columns {
                let sum = accumulatorReference(x, row: row, output: output)
                var y = Float(sum - x.zeroPoint(row: row) * columnSums[output]) * (x.scale(row: row) * scales[output])
                if let bias { y += bias[output] }
                for (feature, value) in x.outliers(row: row) {
                    y += value * Float(outlierWeights[feature * outlierStride + output])
                }
                if case .gelu = activation { y = geluReference(y) }
                out[row * ldo + output] = y
            }
        }
    }

    /// Σ_k q_x[row, k]·q[output, k], exactly, one product at a time.
    func accumulatorReference(_ x: Int8Activations, row: Int, output: Int) -> Int32 {
        var sum: Int32 = 0
        for feature in 0..<inputs {
            sum += x.value(row: row, feature: feature) * Int32(quantized(output: output, input: feature))
        }
        return sum
    }

    /// The kernel's raw 32-bit sums Σ_k q_x·q_w into out[M × panelCount·16] (`ldo` apart, at
    /// least panelCount·16), for testing the integer part alone.
    func accumulators(_ x: Int8Activations, into out: UnsafeMutablePointer<Int32>, ldo: Int) {
        check(x)
        precondition(ldo >= panelCount * Self.panelWidth, "ldo must cover every panel")
        #if arch(x86_64)
            let sink = AccumulatorSink(out: out, ldo: ldo)
            forEachRowBlock(x) { block in
                switch encoding {
                case .unsigned7: multiplyPanels(Unsigned7Products.self, x, rows: block, panels: 0..<panelCount, sink)
                case .signed8: multiplyPanels(Signed8Products.self, x, rows: block, panels: 0..<panelCount, sink)
                }
            }
        #else
            for row in 0..<x.rows {
                for output in 0..<(panelCount * Self.panelWidth) {
                    out[row * ldo + output] = output < outputs ? accumulatorReference(x, row: row, output: output) : 0
                }
            }
        #endif
    }

    private func check(_ x: Int8Activations) {
        precondition(x.inputs == inputs, "activations of \(x.inputs) features for weights of \(inputs)")
        precondition(
            x.rows == 0 || (x.preparedFor == ObjectIdentifier(self) && x.encoding == encoding),
            "activations must be quantized for these weights")
    }

    #if arch(x86_64)
        /// out[row, panels' columns] += Σ value·Wᵀ[feature] over each row's outliers.
        ///
        /// Row by row, four outliers at a time, an axpy along the columns: four sequential streams
        /// of Wᵀ, which the hardware prefetches, and no chain of dependent multiply-adds longer
        /// than four (one register pair per panel, summing every outlier in turn, waited four
        /// cycles per outlier, kept few loads in flight, and cost a 20-token query about as much
        /// as all its activation quantisation). Each output still adds its outliers in order, one
        /// fused multiply-add each, so the sums are the same as one at a time. (Four panels at a
        /// time for all rows interleaved hundreds of streams and made such a query 35% slower.)
        private func addOutliers(
            _ x: Int8Activations, rows: Range<Int>, panels: Range<Int>, into out: UnsafeMutablePointer<Float>, ldo: Int
        ) {
            let first = panels.lowerBound * Self.panelWidth
            let end = min(panels.upperBound * Self.panelWidth, outputs)
            guard end > first else { return }
            let stride = outlierStride
            for row in rows {
                let count = Int(x.outlierCounts[row])
                let features = x.outlierFeatures + row * x.outlierCapacity
                let values = x.outlierValues + row * x.outlierCapacity
                let target = out + row * ldo
                var index = 0
                while index < count {
                    let taken = min(4, count - index)
                    // Missing sources repeat the last one with a value of 0: adding 0·w changes nothing.
                    func source(_ offset: Int) -> (UnsafeRawPointer, Float) {
                        let slot = index + min(offset, taken - 1)
                        let weights = UnsafeRawPointer(outlierWeights + Int(features[slot]) * stride)
                        return (weights, offset < taken ? values[slot] : 0)
                    }
                    let (w0, v0) = source(0)
                    let (w1, v1) = source(1)
                    let (w2, v2) = source(2)
                    let (w3, v3) = source(3)
                    let s0 = _mm256_set1_ps(v0)
                    let s1 = _mm256_set1_ps(v1)
                    let s2 = _mm256_set1_ps(v2)
                    let s3 = _mm256_set1_ps(v3)
                    var column = first
                    while column + 8 <= end {
                        let offset = column * 2
                        var y = _mm256_loadu_ps(target + column)
                        y = _mm256_fmadd_ps(
                            s0, _mm256_cvtph_ps(w0.loadUnaligned(fromByteOffset: offset, as: __m128i.self)), y)
                        y = _mm256_fmadd_ps(
                            s1, _mm256_cvtph_ps(w1.loadUnaligned(fromByteOffset: offset, as: __m128i.self)), y)
                        y = _mm256_fmadd_ps(
                            s2, _mm256_cvtph_ps(w2.loadUnaligned(fromByteOffset: offset, as: __m128i.self)), y)
                        y = _mm256_fmadd_ps(
                            s3, _mm256_cvtph_ps(w3.loadUnaligned(fromByteOffset: offset, as: __m128i.self)), y)
                        _mm256_storeu_ps(target + column, y)
                        column += 8
                    }
                    while column < end {
                        var y = target[column]
                        for (weights, value) in [(w0, v0), (w1, v1), (w2, v2), (w3, v3)] {
                            let w = Float(weights.loadUnaligned(fromByteOffset: column * 2, as: Float16.self))
                            y = y.addingProduct(value, w)
                        }
                        target[column] = y
                        column += 1
                    }
                    index += taken
                }
            }
        }
    #endif

    /// Rows in blocks whose bytes (~128 KB) stay in L2 while every panel passes over them.
    @inline(__always)
    private func forEachRowBlock(_ x: Int8Activations, _ body: (Range<Int>) -> Void) {
        let rowBlock = max(4, (131_072 / x.stride) / 4 * 4)
        var start = 0
        while start < x.rows {
            let end = min(start + rowBlock, x.rows)
            body(start..<end)
            start = end
        }
    }
}

#if arch(x86_64)
    /// How one encoding's bytes are multiplied: sixteen 16-bit sums of adjacent byte products.
    protocol Int8Products {
        /// What the kernel keeps of a weight vector across the rows of a tile.
        static func prepare(_ w: __m256i) -> __m256i
        static func pairSums(_ x: __m256i, _ w: __m256i, _ prepared: __m256i) -> __m256i
    }

    /// Activations 0...127 are the unsigned operand as they are.
    enum Unsigned7Products: Int8Products {
        @inline(__always) static func prepare(_ w: __m256i) -> __m256i { w }
        @inline(__always) static func pairSums(_ x: __m256i, _ w: __m256i, _ prepared: __m256i) -> __m256i {
            _mm256_maddubs_epi16(x, w)
        }
    }

    /// Signed activations: |w| is the unsigned operand, w's sign moves onto x.
    enum Signed8Products: Int8Products {
        @inline(__always) static func prepare(_ w: __m256i) -> __m256i { _mm256_abs_epi8(w) }
        @inline(__always) static func pairSums(_ x: __m256i, _ w: __m256i, _ prepared: __m256i) -> __m256i {
            _mm256_maddubs_epi16(prepared, _mm256_sign_epi8(x, w))
        }
    }

    /// What happens to one row's finished sums of one panel (outputs 0–7 and 8–15).
    protocol Int8TileSink {
        func row(_ row: Int, panel: Int, _ low: __m256i, _ high: __m256i)
    }

    /// Dequantises, adds the bias, stores floats.
    struct FloatSink: Int8TileSink {
        let weights: Int8PackedWeights
        let x: Int8Activations
        let bias: UnsafePointer<Float>?
        let out: UnsafeMutablePointer<Float>
        let ldo: Int

        @inline(__always)
        func row(_ row: Int, panel: Int, _ low: __m256i, _ high: __m256i) {
            let first = panel * Int8PackedWeights.panelWidth
            let width = min(Int8PackedWeights.panelWidth, weights.outputs - first)
            let zero = _mm256_set1_epi32(x.zeroPoints[row])
            let sums = UnsafeRawPointer(weights.columnSums + first)
            let lowSums = _mm256_sub_epi32(low, _mm256_mullo_epi32(zero, sums.loadUnaligned(as: __m256i.self)))
            let highSums = _mm256_sub_epi32(
                high, _mm256_mullo_epi32(zero, sums.loadUnaligned(fromByteOffset: 32, as: __m256i.self)))
            let scale = _mm256_set1_ps(x.scales[row])
            var y0 = _mm256_mul_ps(
                _mm256_cvtepi32_ps(lowSums), _mm256_mul_ps(scale, _mm256_loadu_ps(weights.scales + first)))
            var y1 = _mm256_mul_ps(
                _mm256_cvtepi32_ps(highSums), _mm256_mul_ps(scale, _mm256_loadu_ps(weights.scales + first + 8)))
            if let bias {
                if width == Int8PackedWeights.panelWidth {
                    y0 = _mm256_add_ps(y0, _mm256_loadu_ps(bias + first))
                    y1 = _mm256_add_ps(y1, _mm256_loadu_ps(bias + first + 8))
                } else {
                    var padded = SIMD16<Float>(repeating: 0)
                    for lane in 0..<width { padded[lane] = bias[first + lane] }
                    y0 = _mm256_add_ps(y0, padded.lowHalf)
                    y1 = _mm256_add_ps(y1, padded.highHalf)
                }
            }
            let target = out + row * ldo + first
            if width == Int8PackedWeights.panelWidth {
                _mm256_storeu_ps(target, y0)
                _mm256_storeu_ps(target + 8, y1)
            } else {
                let both = SIMD16<Float>(lowHalf: y0, highHalf: y1)
                for lane in 0..<width { target[lane] = both[lane] }
            }
        }
    }

    /// Stores the raw sums.
    struct AccumulatorSink: Int8TileSink {
        let out: UnsafeMutablePointer<Int32>
        let ldo: Int

        @inline(__always)
        func row(_ row: Int, panel: Int, _ low: __m256i, _ high: __m256i) {
            let target = UnsafeMutableRawPointer(out + row * ldo + panel * Int8PackedWeights.panelWidth)
            target.storeBytes(of: low, as: __m256i.self)
            target.storeBytes(of: high, toByteOffset: 32, as: __m256i.self)
        }
    }

    extension Int8PackedWeights {
        @inline(__always)
        fileprivate func multiplyPanels<Products: Int8Products, Sink: Int8TileSink>(
            _ products: Products.Type, _ x: Int8Activations, rows: Range<Int>, panels: Range<Int>, _ sink: Sink
        ) {
            for panel in panels { multiplyPanel(products, x, rows: rows, panel: panel, sink) }
        }

        /// One panel (16 outputs) for `rows`: tiles of 4 rows, then single rows.
        ///
        /// Groups go two at a time: their 16-bit pair sums are added lane by lane before one
        /// `vpmaddwd` widens them, three multiplier instructions per 64 multiply-adds instead of
        /// four (about 10% faster on a 20-token query). The weights' scale keeps each lane's four
        /// products within 16 bits (`laneMagnitudeLimit`).
        @inline(__always)
        private func multiplyPanel<Products: Int8Products, Sink: Int8TileSink>(
            _ products: Products.Type, _ x: Int8Activations, rows: Range<Int>, panel: Int, _ sink: Sink
        ) {
            let groupBytes = Self.panelWidth * Self.groupWidth
            let w = UnsafeRawPointer(storage + panel * groups * groupBytes)
            let values = UnsafeRawPointer(x.values)
            let stride = x.stride
            let pairs = groups / 2
            let ones = _mm256_set1_epi16(1)
            /// The weights of one group: outputs 0–7 and 8–15, four bytes each.
            @inline(__always)
            func groupWeights(_ group: Int) -> (__m256i, __m256i) {
                (
                    w.loadUnaligned(fromByteOffset: group * groupBytes, as: __m256i.self),
                    w.loadUnaligned(fromByteOffset: group * groupBytes + 32, as: __m256i.self)
                )
            }
            /// Σ over groups `group` and `group + 1` for one row: (outputs 0–7, outputs 8–15).
            @inline(__always)
            func pairProducts(
                _ row: UnsafeRawPointer, _ group: Int, _ w0: __m256i, _ w1: __m256i, _ w2: __m256i, _ w3: __m256i
            ) -> (__m256i, __m256i) {
                let v0 = _mm256_set1_epi32(row.loadUnaligned(fromByteOffset: group * 4, as: Int32.self))
                let v1 = _mm256_set1_epi32(row.loadUnaligned(fromByteOffset: group * 4 + 4, as: Int32.self))
                let low = _mm256_add_epi16(
                    Products.pairSums(v0, w0, Products.prepare(w0)), Products.pairSums(v1, w2, Products.prepare(w2)))
                let high = _mm256_add_epi16(
                    Products.pairSums(v0, w1, Products.prepare(w1)), Products.pairSums(v1, w3, Products.prepare(w3)))
                return (_mm256_madd_epi16(low, ones), _mm256_madd_epi16(high, ones))
            }
            var row = rows.lowerBound
            while row + 4 <= rows.upperBound {
                let x0 = values + row * stride
                let x1 = x0 + stride
                let x2 = x1 + stride
                let x3 = x2 + stride
                var a0 = _mm256_setzero_si256()
                var a1 = a0
                var a2 = a0
                var a3 = a0
                var b0 = a0
                var b1 = a0
                var b2 = a0
                var b3 = a0
                for pair in 0..<pairs {
                    let group = 2 * pair
                    let (w0, w1) = groupWeights(group)
                    let (w2, w3) = groupWeights(group + 1)
                    var (p, q) = pairProducts(x0, group, w0, w1, w2, w3)
                    a0 = _mm256_add_epi32(a0, p)
                    b0 = _mm256_add_epi32(b0, q)
                    (p, q) = pairProducts(x1, group, w0, w1, w2, w3)
                    a1 = _mm256_add_epi32(a1, p)
                    b1 = _mm256_add_epi32(b1, q)
                    (p, q) = pairProducts(x2, group, w0, w1, w2, w3)
                    a2 = _mm256_add_epi32(a2, p)
                    b2 = _mm256_add_epi32(b2, q)
                    (p, q) = pairProducts(x3, group, w0, w1, w2, w3)
                    a3 = _mm256_add_epi32(a3, p)
                    b3 = _mm256_add_epi32(b3, q)
                }
                sink.row(row, panel: panel, a0, b0)
                sink.row(row + 1, panel: panel, a1, b1)
                sink.row(row + 2, panel: panel, a2, b2)
                sink.row(row + 3, panel: panel, a3, b3)
                row += 4
            }
            while row < rows.upperBound {
                let x0 = values + row * stride
                var a0 = _mm256_setzero_si256()
                var b0 = a0
                for pair in 0..<pairs {
                    let group = 2 * pair
                    let (w0, w1) = groupWeights(group)
                    let (w2, w3) = groupWeights(group + 1)
                    let (p, q) = pairProducts(x0, group, w0, w1, w2, w3)
                    a0 = _mm256_add_epi32(a0, p)
                    b0 = _mm256_add_epi32(b0, q)
                }
                sink.row(row, panel: panel, a0, b0)
                row += 1
            }
        }
    }
#endif
