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
    /// The model's rotation, tabulated for position 0 only: each forward call tabulates the
    /// positions it runs (`RoPETable.covering`). A table of the whole context (8,192 positions of
    /// SmolLM2: 2 MB) stayed resident for generations that reach a few hundred, and a call's own
    /// table costs one cosine and sine per pair and position, once for all layers.
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
                dimensions: configuration.ropeDimensions, base: configuration.ropeBase, positions: 0..<1)
        } catch {
            throw .invalidMetadata(path: "model", key: "rope", reason: "\(error)")
        }
    }

    /// Largest number of tokens one `forward` call takes; longer prompts go in chunks.
    ///
    /// A chunk's buffers are live while the key/value cache is at its fullest during the prompt;
    /// chunks of 128 took 1.6 MB off the peak of `rag bench llm` (SmolLM2), but its 512-token
    /// prompt then ran 5% slower on 2 threads (median of 30 paired runs).
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
        let scratch = ForwardScratch(
            configuration: c, tokens: m, precision: precision, cache: cache,
            attendsInChunk: !attendsOneToken(tokens: m, cache: cache))
        let rope = rope.covering(cache.count..<(cache.count + m))
        let x = scratch.residual
        for (row, token) in tokens.enumerated() {
            weights.tokenEmbedding.dequantizeRow(token, into: x + row * c.width)
        }
        for (index, layer) in weights.layers.enumerated() {
            let updates = adapters.compactMap { active in
                active.adapter.updates[index].map { (updates: $0, weight: active.weight) }
            }
            let lora = LayerAdapters(updates: updates)
            attention(layer, index: index, scratch: scratch, cache: cache, tokens: m, rope: rope, lora: lora)
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
    func project(
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

    /// scratch.normed = RMSNorm(scratch.residual) with `weight`, for the first m tokens; returns it.
    func normalizeResidual(_ weight: [Float], scratch: ForwardScratch, tokens m: Int) -> UnsafeMutablePointer<Float> {
        let c = configuration
        weight.withUnsafeBufferPointer { weight in
            rmsNormRows(
                scratch.residual, into: scratch.normed, rows: m, width: c.width, weight: weight.baseAddress!,
                epsilon: c.rmsEpsilon)
        }
        return scratch.normed
    }

    private func feedForward(_ layer: LlamaLayerWeights, scratch: ForwardScratch, tokens m: Int, lora: LayerAdapters) {
        let c = configuration
        let x = scratch.residual
        let h = normalizeResidual(layer.feedForwardNorm, scratch: scratch, tokens: m)
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
