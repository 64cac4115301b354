import CBLAS
import Kernels

/// The llama-family decoder: embeddings, `layerCount` blocks of grouped-query attention and a
/// SwiGLU feed-forward, each behind an RMSNorm with a residual connection, then the output head.
///
/// `forward` runs a batch of consecutive tokens (a prompt chunk, or one token while decoding)
/// against a `KeyValueCache` and returns the logits of the last one. With `.float32` every product
/// multiplies float activations by exactly dequantised weights (the reference, which matches
/// Hugging Face transformers to summation order); with `.int8` the activations entering the
/// quantised matrices are rounded to 8 bits per block of 32 as llama.cpp does, which is faster.
final class LlamaModel: @unchecked Sendable {
    let configuration: LlamaConfiguration
    let weights: LlamaWeights
    let rope: RoPETable
    let pool: WorkerPool

    init(configuration: LlamaConfiguration, weights: LlamaWeights, pool: WorkerPool = .shared)
        throws(LanguageModelError)
    {
        self.configuration = configuration
        self.weights = weights
        self.pool = pool
        do {
            rope = try RoPETable(
                dimensions: configuration.ropeDimensions, base: configuration.ropeBase,
                positions: 0..<configuration.contextLength)
        } catch {
            throw .invalidMetadata(path: "model", key: "rope", reason: "\(error)")
        }
    }

    /// Largest number of tokens one `forward` call takes; longer prompts go in chunks.
    static let maximumBatch = 256

    /// Runs `tokens` at the cache's next positions, appends their keys and values, and returns
    /// the logits of the last token.
    /// - Precondition: 1 ≤ tokens.count ≤ maximumBatch, cache.count + tokens.count ≤ cache.capacity,
    ///   every token < vocabularySize.
    func forward(
        _ tokens: [Int], cache: KeyValueCache, precision: ActivationPrecision, adapters: [ActiveAdapter] = []
    ) -> [Float] {
        let c = configuration
        let m = tokens.count
        precondition(m >= 1 && m <= Self.maximumBatch && cache.count + m <= cache.capacity)
        let scratch = ForwardScratch(configuration: c, tokens: m, precision: precision)
        let x = scratch.residual
        for (row, token) in tokens.enumerated() {
            weights.tokenEmbedding.dequantizeRow(token, into: x + row * c.width)
        }
        for (index, layer) in weights.layers.enumerated() {
            let updates = adapters.compactMap { active in
                active.adapter.updates[index].map { (updates: $0, weight: active.weight) }
            }
            let lora = LayerAdapters(updates: updates)
            attention(layer, index: index, scratch: scratch, cache: cache, tokens: m, lora: lora)
            feedForward(layer, scratch: scratch, tokens: m, lora: lora)
        }
        cache.count += m

        // Only the last position's logits are needed to continue.
        let last = x + (m - 1) * c.width
        let normed = scratch.normed
        weights.outputNorm.withUnsafeBufferPointer { weight in
            rmsNormRows(last, into: normed, rows: 1, width: c.width, weight: weight.baseAddress!, epsilon: c.rmsEpsilon)
        }
        var logits = [Float](repeating: 0, count: c.vocabularySize)
        logits.withUnsafeMutableBufferPointer { out in
            project(weights.output, normed, rows: 1, into: out.baseAddress!, activations: scratch.widthActivations)
        }
        return logits
    }

    /// y[rows × N] = x[rows × K]·Wᵀ in the scratch's precision (activations non-nil for int8).
    private func project(
        _ matrix: QuantizedMatrix, _ x: UnsafePointer<Float>, rows: Int, into y: UnsafeMutablePointer<Float>,
        ldy: Int? = nil, activations: QuantizedActivations?
    ) {
        if let activations, matrix.format.isBlockQuantized {
            activations.quantize(x, rows: rows)
            matrix.multiply(batch: activations, into: y, ldy: ldy, pool: pool)
        } else {
            matrix.multiply(batch: x, count: rows, into: y, ldy: ldy, pool: pool)
        }
    }

    private func attention(
        _ layer: LlamaLayerWeights, index: Int, scratch: ForwardScratch, cache: KeyValueCache, tokens m: Int,
        lora: LayerAdapters
    ) {
        let c = configuration
        let x = scratch.residual
        let h = scratch.normed
        layer.attentionNorm.withUnsafeBufferPointer { weight in
            rmsNormRows(x, into: h, rows: m, width: c.width, weight: weight.baseAddress!, epsilon: c.rmsEpsilon)
        }
        let start = cache.count
        let keys = cache.keys(layer: index)
        let values = cache.values(layer: index)
        let kvWidth = c.keyValueWidth
        // One quantisation of h serves q, k and v.
        if let activations = scratch.widthActivations { activations.quantize(h, rows: m) }
        func product(_ matrix: QuantizedMatrix, into y: UnsafeMutablePointer<Float>) {
            if let activations = scratch.widthActivations, matrix.format.isBlockQuantized {
                matrix.multiply(batch: activations, into: y, pool: pool)
            } else {
                matrix.multiply(batch: h, count: m, into: y, pool: pool)
            }
        }
        let q = scratch.queries
        // Keys and values go straight into the cache rows of their positions.
        if m == 1, let activations = scratch.widthActivations,
            [layer.query, layer.key, layer.value].allSatisfy(\.format.isBlockQuantized)
        {
            // Decoding: the three products of one vector as one parallel job.
            QuantizedMatrix.multiply(
                [layer.query, layer.key, layer.value], activations,
                into: [q, keys + start * kvWidth, values + start * kvWidth], pool: pool)
        } else {
            product(layer.query, into: q)
            product(layer.key, into: keys + start * kvWidth)
            product(layer.value, into: values + start * kvWidth)
        }
        lora.apply(.query, input: h, rows: m, to: q)
        lora.apply(.key, input: h, rows: m, to: keys + start * kvWidth)
        lora.apply(.value, input: h, rows: m, to: values + start * kvWidth)
        if let bias = layer.queryBias { addRowBias(q, rows: m, bias) }
        if let bias = layer.keyBias { addRowBias(keys + start * kvWidth, rows: m, bias) }
        if let bias = layer.valueBias { addRowBias(values + start * kvWidth, rows: m, bias) }
        rope.apply(
            to: q, tokens: m, stride: c.queryWidth, heads: c.headCount, headSize: c.headSize, firstPosition: start,
            layout: c.ropeLayout)
        rope.apply(
            to: keys + start * kvWidth, tokens: m, stride: kvWidth, heads: c.keyValueHeadCount, headSize: c.headSize,
            firstPosition: start, layout: c.ropeLayout)

        let length = start + m
        let out = scratch.attended
        let group = c.headCount / c.keyValueHeadCount
        let scale = 1 / Float(c.headSize).squareRoot()
        let parts = min(pool.threadCount, c.headCount)
        pool.run(parts) { part in
            let scores = UnsafeMutablePointer<Float>.allocate(capacity: m * length)
            defer { scores.deallocate() }
            for head in stride(from: part, to: c.headCount, by: parts) {
                let kvHead = head / group
                // scores[m × length] = q_h · K_hᵀ / √d
                cblas_sgemm(
                    CblasRowMajor, CblasNoTrans, CblasTrans, Int32(m), Int32(length), Int32(c.headSize), scale,
                    q + head * c.headSize, Int32(c.queryWidth), keys + kvHead * c.headSize, Int32(kvWidth), 0,
                    scores, Int32(length))
                // Causal mask: token t sees positions up to start + t.
                for row in 0..<m {
                    let visible = start + row + 1
                    softmaxRows(scores + row * length, rows: 1, width: visible, stride: length)
                    if visible < length {
                        (scores + row * length + visible).update(repeating: 0, count: length - visible)
                    }
                }
                // out_h[m × d] = scores · V_h
                cblas_sgemm(
                    CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(m), Int32(c.headSize), Int32(length), 1, scores,
                    Int32(length), values + kvHead * c.headSize, Int32(kvWidth), 0, out + head * c.headSize,
                    Int32(c.queryWidth))
            }
        }
        project(layer.output, out, rows: m, into: h, activations: scratch.queryActivations)
        lora.apply(.output, input: out, rows: m, to: h)
        addInPlace(x, h, count: m * c.width)
    }

    private func feedForward(_ layer: LlamaLayerWeights, scratch: ForwardScratch, tokens m: Int, lora: LayerAdapters) {
        let c = configuration
        let x = scratch.residual
        let h = scratch.normed
        layer.feedForwardNorm.withUnsafeBufferPointer { weight in
            rmsNormRows(x, into: h, rows: m, width: c.width, weight: weight.baseAddress!, epsilon: c.rmsEpsilon)
        }
        let gate = scratch.gate
        let up = scratch.up
        if let activations = scratch.widthActivations, layer.gate.format.isBlockQuantized,
            layer.up.format.isBlockQuantized
        {
            activations.quantize(h, rows: m)
            if m == 1 {
                QuantizedMatrix.multiply([layer.gate, layer.up], activations, into: [gate, up], pool: pool)
            } else {
                layer.gate.multiply(batch: activations, into: gate, pool: pool)
                layer.up.multiply(batch: activations, into: up, pool: pool)
            }
        } else {
            project(layer.gate, h, rows: m, into: gate, activations: nil)
            project(layer.up, h, rows: m, into: up, activations: nil)
        }
        lora.apply(.gate, input: h, rows: m, to: gate)
        lora.apply(.up, input: h, rows: m, to: up)
        swiGLUInPlace(gate: gate, up: up, count: m * c.feedForwardWidth)
        project(layer.down, gate, rows: m, into: h, activations: scratch.feedForwardActivations)
        lora.apply(.down, input: gate, rows: m, to: h)
        addInPlace(x, h, count: m * c.width)
    }

    private func addRowBias(_ y: UnsafeMutablePointer<Float>, rows: Int, _ bias: [Float]) {
        bias.withUnsafeBufferPointer { b in
            for row in 0..<rows { addInPlace(y + row * bias.count, b.baseAddress!, count: bias.count) }
        }
    }
}

/// The buffers of one forward call.
final class ForwardScratch {
    let residual: UnsafeMutablePointer<Float>
    let normed: UnsafeMutablePointer<Float>
    let queries: UnsafeMutablePointer<Float>
    let attended: UnsafeMutablePointer<Float>
    let gate: UnsafeMutablePointer<Float>
    let up: UnsafeMutablePointer<Float>
    /// 8-bit activations for inputs of the model's width, its query width and its feed-forward
    /// width; nil with `.float32`.
    let widthActivations: QuantizedActivations?
    let queryActivations: QuantizedActivations?
    let feedForwardActivations: QuantizedActivations?

    init(configuration c: LlamaConfiguration, tokens m: Int, precision: ActivationPrecision) {
        residual = .allocate(capacity: m * c.width)
        normed = .allocate(capacity: m * max(c.width, c.queryWidth))
        queries = .allocate(capacity: m * c.queryWidth)
        attended = .allocate(capacity: m * c.queryWidth)
        gate = .allocate(capacity: m * c.feedForwardWidth)
        up = .allocate(capacity: m * c.feedForwardWidth)
        if precision == .int8 {
            // Widths that are not multiples of 32 keep float activations.
            widthActivations = try? QuantizedActivations(columns: c.width, capacity: m)
            queryActivations = try? QuantizedActivations(columns: c.queryWidth, capacity: m)
            feedForwardActivations = try? QuantizedActivations(columns: c.feedForwardWidth, capacity: m)
        } else {
            widthActivations = nil
            queryActivations = nil
            feedForwardActivations = nil
        }
    }

    deinit {
        for buffer in [residual, normed, queries, attended, gate, up] { buffer.deallocate() }
    }
}

/// The adapter updates of one layer for one forward call.
struct LayerAdapters {
    var updates: [(updates: [ProjectionTarget: LowRankUpdate], weight: Float)]

    /// y[rows × outputs] += Σ weight·scale·(x·Aᵀ)·Bᵀ over the adapters that change `target`;
    /// nothing at all when none does, so the base model pays nothing for adapters it does not use.
    func apply(
        _ target: ProjectionTarget, input x: UnsafePointer<Float>, rows: Int, to y: UnsafeMutablePointer<Float>
    ) {
        for (layerUpdates, weight) in updates {
            guard let update = layerUpdates[target] else { continue }
            let inner = UnsafeMutablePointer<Float>.allocate(capacity: rows * update.rank)
            defer { inner.deallocate() }
            if rows == 1 {
                // Decoding: two matrix-vector products, without sgemm's set-up.
                update.a.withUnsafeBufferPointer { a in
                    cblas_sgemv(
                        CblasRowMajor, CblasNoTrans, Int32(update.rank), Int32(update.inputs), 1, a.baseAddress,
                        Int32(update.inputs), x, 1, 0, inner, 1)
                }
                update.b.withUnsafeBufferPointer { b in
                    cblas_sgemv(
                        CblasRowMajor, CblasNoTrans, Int32(update.outputs), Int32(update.rank), weight * update.scale,
                        b.baseAddress, Int32(update.rank), inner, 1, 1, y, 1)
                }
                continue
            }
            update.a.withUnsafeBufferPointer { a in
                cblas_sgemm(
                    CblasRowMajor, CblasNoTrans, CblasTrans, Int32(rows), Int32(update.rank), Int32(update.inputs), 1,
                    x, Int32(update.inputs), a.baseAddress, Int32(update.inputs), 0, inner, Int32(update.rank))
            }
            update.b.withUnsafeBufferPointer { b in
                cblas_sgemm(
                    CblasRowMajor, CblasNoTrans, CblasTrans, Int32(rows), Int32(update.outputs), Int32(update.rank),
                    weight * update.scale, inner, Int32(update.rank), b.baseAddress, Int32(update.rank), 1, y,
                    Int32(update.outputs))
            }
        }
    }
}
