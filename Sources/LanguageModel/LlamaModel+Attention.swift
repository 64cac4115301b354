import CBLAS
import Kernels

/// The attention half of a decoder block: RMSNorm, q/k/v, RoPE, grouped-query attention over the
/// key/value cache, the output projection and the residual.
///
/// New keys and values are made in float32: straight into the cache rows of their positions in an
/// `.f32` cache; for an `.f16` cache in scratch first, then narrowed into the cache. One decoding token
/// over an `.f16` cache attends with `attendOneQuery` (no BLAS set-up, half the bytes); a prompt
/// chunk, or a float32 cache, goes through `sgemm` per head.
extension LlamaModel {
    func attention(
        _ layer: LlamaLayerWeights, index: Int, scratch: ForwardScratch, cache: KeyValueCache, tokens m: Int,
        rope: RoPETable, lora: LayerAdapters
    ) {
        let c = configuration
        let x = scratch.residual
        let h = normalizeResidual(layer.attentionNorm, scratch: scratch, tokens: m)
        let start = cache.count
        let kvWidth = c.keyValueWidth
        let halves = cache.format == .f16
        let q = scratch.queries
        let keys = halves ? scratch.newKeys : cache.keys(layer: index) + start * kvWidth
        let values = halves ? scratch.newValues : cache.values(layer: index) + start * kvWidth
        projectQueryKeyValue(layer, h, tokens: m, scratch: scratch, into: (q, keys, values))
        lora.apply(.query, input: h, rows: m, to: q)
        lora.apply(.key, input: h, rows: m, to: keys)
        lora.apply(.value, input: h, rows: m, to: values)
        if let bias = layer.queryBias { addRowBias(q, rows: m, bias) }
        if let bias = layer.keyBias { addRowBias(keys, rows: m, bias) }
        if let bias = layer.valueBias { addRowBias(values, rows: m, bias) }
        rope.apply(
            to: q, tokens: m, stride: c.queryWidth, heads: c.headCount, headSize: c.headSize, firstPosition: start,
            layout: c.ropeLayout)
        rope.apply(
            to: keys, tokens: m, stride: kvWidth, heads: c.keyValueHeadCount, headSize: c.headSize,
            firstPosition: start, layout: c.ropeLayout)
        if halves {
            convertToHalves(keys, count: m * kvWidth, into: cache.keyHalves(layer: index) + start * kvWidth)
            convertToHalves(values, count: m * kvWidth, into: cache.valueHalves(layer: index) + start * kvWidth)
        }

        if attendsOneToken(tokens: m, cache: cache) {
            attendOneToken(index: index, scratch: scratch, cache: cache)
        } else {
            attendChunk(index: index, scratch: scratch, cache: cache, tokens: m)
        }
        let out = scratch.attended
        project(layer.output, out, rows: m, into: h, activations: scratch.queryActivations)
        lora.apply(.output, input: out, rows: m, to: h)
        addInPlace(x, h, count: m * c.width)
    }

    /// Whether `m` new tokens attend through `attendOneToken` (one token over an `.f16` cache) rather
    /// than `attendChunk`, which needs the scratch's widened keys and values and its scores.
    func attendsOneToken(tokens m: Int, cache: KeyValueCache) -> Bool {
        cache.format == .f16 && m == 1 && configuration.headSize % 64 == 0
    }

    /// q, k and v of the normalised input `h`: one quantisation of h serves all three.
    private func projectQueryKeyValue(
        _ layer: LlamaLayerWeights, _ h: UnsafeMutablePointer<Float>, tokens m: Int, scratch: ForwardScratch,
        into outputs: (UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>)
    ) {
        let matrices = [layer.query, layer.key, layer.value]
        guard let activations = scratch.widthActivations else {
            for (matrix, y) in zip(matrices, [outputs.0, outputs.1, outputs.2]) {
                matrix.multiply(batch: h, count: m, into: y, pool: pool)
            }
            return
        }
        activations.quantize(h, rows: m)
        if m == 1, matrices.allSatisfy(\.format.isBlockQuantized) {
            // Decoding: the three products of one vector as one parallel job.
            QuantizedMatrix.multiply(matrices, activations, into: [outputs.0, outputs.1, outputs.2], pool: pool)
            return
        }
        for (matrix, y) in zip(matrices, [outputs.0, outputs.1, outputs.2]) {
            if matrix.format.isBlockQuantized {
                matrix.multiply(batch: activations, into: y, pool: pool)
            } else {
                matrix.multiply(batch: h, count: m, into: y, pool: pool)
            }
        }
    }

    /// One new token over an `.f16` cache: each head's scores, softmax and weighted values in one
    /// pass over its key and value rows, heads split across the pool.
    private func attendOneToken(index: Int, scratch: ForwardScratch, cache: KeyValueCache) {
        let c = configuration
        let length = cache.count + 1
        let keys = cache.keyHalves(layer: index)
        let values = cache.valueHalves(layer: index)
        let group = c.headCount / c.keyValueHeadCount
        let scale = 1 / Float(c.headSize).squareRoot()
        let parts = min(pool.threadCount, c.headCount)
        pool.run(parts) { part in
            withUnsafeTemporaryAllocation(of: Float.self, capacity: length) { scores in
                for head in (part * c.headCount / parts)..<((part + 1) * c.headCount / parts) {
                    let kvHead = head / group
                    attendOneQuery(
                        scratch.queries + head * c.headSize, keys: keys + kvHead * c.headSize,
                        values: values + kvHead * c.headSize, stride: c.keyValueWidth, length: length,
                        headSize: c.headSize, scale: scale, scores: scores.baseAddress!,
                        into: scratch.attended + head * c.headSize)
                }
            }
        }
    }

    /// Tokens start..<start + m against positions 0..<start + m, causally, through sgemm per head;
    /// an `.f16` cache is widened to float32 first.
    private func attendChunk(index: Int, scratch: ForwardScratch, cache: KeyValueCache, tokens m: Int) {
        let c = configuration
        let start = cache.count
        let length = start + m
        let kvWidth = c.keyValueWidth
        let keys: UnsafePointer<Float>
        let values: UnsafePointer<Float>
        if cache.format == .f16 {
            let buffer = scratch.widened
            convertFromHalves(cache.keyHalves(layer: index), count: length * kvWidth, into: buffer)
            convertFromHalves(cache.valueHalves(layer: index), count: length * kvWidth, into: buffer + length * kvWidth)
            keys = UnsafePointer(buffer)
            values = UnsafePointer(buffer + length * kvWidth)
        } else {
            keys = UnsafePointer(cache.keys(layer: index))
            values = UnsafePointer(cache.values(layer: index))
        }
        let q = scratch.queries
        let out = scratch.attended
        let group = c.headCount / c.keyValueHeadCount
        let scale = 1 / Float(c.headSize).squareRoot()
        // Pieces of one head × up to `attentionRowBlock` tokens, claimed as threads come free:
        // nine heads on two threads would otherwise leave one idle a ninth of the time, and a
        // block's tokens see only the positions up to its last one, so the masked part of the
        // scores is mostly never computed.
        let blocks = (m + Self.attentionRowBlock - 1) / Self.attentionRowBlock
        pool.run(c.headCount * blocks) { piece in
            let head = piece / blocks
            let first = (piece % blocks) * Self.attentionRowBlock
            let rows = min(Self.attentionRowBlock, m - first)
            let visible = start + first + rows
            let kvHead = head / group
            let scores = UnsafeMutablePointer<Float>.allocate(capacity: rows * visible)
            defer { scores.deallocate() }
            // scores[rows × visible] = q_h · K_hᵀ / √d
            cblas_sgemm(
                CblasRowMajor, CblasNoTrans, CblasTrans, Int32(rows), Int32(visible), Int32(c.headSize), scale,
                q + first * c.queryWidth + head * c.headSize, Int32(c.queryWidth), keys + kvHead * c.headSize,
                Int32(kvWidth), 0, scores, Int32(visible))
            // Causal mask: token t sees positions up to start + t.
            for row in 0..<rows {
                let seen = start + first + row + 1
                softmaxRows(scores + row * visible, rows: 1, width: seen, stride: visible)
                if seen < visible {
                    (scores + row * visible + seen).update(repeating: 0, count: visible - seen)
                }
            }
            // out_h[rows × d] = scores · V_h
            cblas_sgemm(
                CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(rows), Int32(c.headSize), Int32(visible), 1, scores,
                Int32(visible), values + kvHead * c.headSize, Int32(kvWidth), 0,
                out + first * c.queryWidth + head * c.headSize, Int32(c.queryWidth))
        }
    }

    /// Tokens per piece of a prompt chunk's attention.
    static let attentionRowBlock = 64

    func addRowBias(_ y: UnsafeMutablePointer<Float>, rows: Int, _ bias: [Float]) {
        bias.withUnsafeBufferPointer { b in
            for row in 0..<rows { addInPlace(y + row * bias.count, b.baseAddress!, count: bias.count) }
        }
    }
}
