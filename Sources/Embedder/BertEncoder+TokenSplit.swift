import Kernels

/// One sequence shared by several threads, split by tokens: a single query.
///
/// Split by output columns (`forward(_:workspace:threads:)`), every linear layer, quantisation
/// and attention is a job of its own on the pool, nine per layer, and each ends with the threads
/// waiting for one another; for a 20-token query those hand-overs and waits were a fifth of the
/// time. Split by tokens, each thread carries its own rows through a whole layer: attention of
/// its queries against all keys, the output projection, both LayerNorms, the feed-forward
/// products and the next layer's q/k/v. Only attention needs the other rows (their keys and
/// values), so a layer is one job: seven per query instead of fifty-four. Each thread streams
/// all the weights instead of its share, which the shared L3 cache serves.
///
/// The q/k/v of layer l + 1 are written into the second of two buffers while other threads may
/// still read layer l's keys and values from the first.
extension BertEncoder {
    /// Runs the encoder on one sequence with its tokens split into `parts` ranges, and leaves
    /// the last hidden state, `(L, H)`, in `workspace.hidden`.
    func forwardSplittingTokens(_ ids: [Int], workspace w: EncoderWorkspace, parts requested: Int) {
        let h = configuration.hiddenSize
        let l = ids.count
        let parts = Parallel.ranges(of: l, parts: max(1, min(requested, l)), granule: 1)
        w.reserve(tokens: l, longest: l, threads: parts.count, configuration: configuration, splitTokens: true)
        embed([ids], into: w.hidden.pointer)
        layerNormRows(
            w.hidden.pointer, residual: nil, rows: l, width: h, gamma: weights.embeddingNormWeight.pointer,
            beta: weights.embeddingNormBias.pointer, epsilon: configuration.layerNormEpsilon)
        // [CLS] and [SEP] keep more outliers.
        let wide = l > 1 ? [0, l - 1] : [0]
        let layers = weights.layers
        guard let first = layers.first else { return }
        // Every thread's activation buffers exist before the threads run: the workspace's table
        // of them is only read concurrently.
        for site in LinearSite.allCases {
            guard case .int8(let weight) = first[site].weight else { continue }
            for part in parts.indices { _ = w.int8Activations(site, part: part, inputs: weight.inputs, plan: plan) }
        }
        WorkerPool.shared.run(parts.count) { part in
            let rows = parts[part]
            linear(
                first[.queryKeyValue], site: .queryKeyValue, w.hidden.pointer, rows: rows, wide: wide,
                into: w.queryKeyValue(layer: 0), part: part, workspace: w)
        }
        for (index, layer) in layers.enumerated() {
            let next = index + 1 < layers.count ? layers[index + 1] : nil
            WorkerPool.shared.run(parts.count) { part in
                layerRows(
                    layer, index: index, next: next, rows: parts[part], length: l, wide: wide, part: part,
                    workspace: w)
            }
        }
    }

    /// One layer for the tokens in `rows`, then the next layer's q/k/v of those tokens.
    private func layerRows(
        _ layer: BertLayerWeights, index: Int, next: BertLayerWeights?, rows: Range<Int>, length l: Int,
        wide: [Int], part: Int, workspace w: EncoderWorkspace
    ) {
        let h = configuration.hiddenSize
        let c = configuration
        let qkv = w.queryKeyValue(layer: index)
        let hidden = w.hidden.pointer
        let context = w.context.pointer
        let projected = w.projected.pointer
        attentionRows(qkv: qkv, rows: rows, length: l, into: context, part: part, workspace: w)

        // hidden ← LayerNorm(context·Woᵀ + bo + hidden), for these rows.
        linear(
            layer[.attentionOutput], site: .attentionOutput, context, rows: rows, wide: wide, into: projected,
            part: part, workspace: w)
        layerNormRows(
            hidden + rows.lowerBound * h, residual: projected + rows.lowerBound * h, rows: rows.count, width: h,
            gamma: layer.attentionNormWeight.pointer, beta: layer.attentionNormBias.pointer,
            epsilon: c.layerNormEpsilon)

        // hidden ← LayerNorm(GELU(hidden·Wiᵀ + bi)·Woutᵀ + bout + hidden)
        linear(
            layer[.intermediate], site: .intermediate, hidden, rows: rows, wide: wide, into: w.intermediate.pointer,
            part: part, workspace: w, gelu: true)
        linear(
            layer[.output], site: .output, w.intermediate.pointer, rows: rows, wide: wide, into: projected, part: part,
            workspace: w)
        layerNormRows(
            hidden + rows.lowerBound * h, residual: projected + rows.lowerBound * h, rows: rows.count, width: h,
            gamma: layer.outputNormWeight.pointer, beta: layer.outputNormBias.pointer, epsilon: c.layerNormEpsilon)

        if let next {
            linear(
                next[.queryKeyValue], site: .queryKeyValue, hidden, rows: rows, wide: wide,
                into: w.queryKeyValue(layer: index + 1), part: part, workspace: w)
        }
    }

    /// out[rows] = x[rows]·Wᵀ + b (then GELU when asked), on this thread alone.
    private func linear(
        _ layer: BertLinear, site: LinearSite, _ x: UnsafePointer<Float>, rows: Range<Int>, wide: [Int],
        into out: UnsafeMutablePointer<Float>, part: Int, workspace: EncoderWorkspace, gelu: Bool = false
    ) {
        let activation: PackedWeights.Activation = gelu ? .gelu : .none
        switch layer.weight {
        case .int8(let weight):
            let quantized = workspace.int8Activations(site, part: part, inputs: weight.inputs, plan: plan)
            let local = wide.filter(rows.contains).map { $0 - rows.lowerBound }
            quantized.quantize(x + rows.lowerBound * weight.inputs, rows: rows.count, for: weight, wide: local)
            weight.multiply(
                quantized, bias: layer.bias.pointer, activation: activation,
                into: out + rows.lowerBound * weight.outputs)
        case .float(let weight):
            weight.multiply(
                x + rows.lowerBound * weight.inputs, rows: rows.count, bias: layer.bias.pointer,
                activation: activation, into: out + rows.lowerBound * weight.outputs)
        }
    }

    /// context[rows] = softmax(q[rows]·kᵀ/√D)·v per head, against all `l` keys.
    private func attentionRows(
        qkv: UnsafeMutablePointer<Float>, rows: Range<Int>, length l: Int, into context: UnsafeMutablePointer<Float>,
        part: Int, workspace: EncoderWorkspace
    ) {
        let h = configuration.hiddenSize
        let d = configuration.headSize
        let scale = 1 / Float(d).squareRoot()
        let scores = workspace.scores.pointer + part * EncoderWorkspace.scoresPerThread(longest: l, headSize: d)
        let packed = attentionKernel && Attention.supports(headSize: d)
        for head in 0..<configuration.headCount {
            let q = qkv + rows.lowerBound * 3 * h + head * d
            let k = qkv + head * d + h
            let v = k + h
            let out = context + rows.lowerBound * h + head * d
            if packed {
                Attention.head(
                    q: q, k: k, v: v, ld: 3 * h, length: l, queries: rows.count, headSize: d, scale: scale, into: out,
                    ldo: h, scratch: scores)
                continue
            }
            matmulTransposed(
                q, rows: rows.count, inner: d, lda: 3 * h, k, columns: l, ldb: 3 * h, into: scores, ldo: l,
                alpha: scale)
            softmaxRows(scores, rows: rows.count, width: l, stride: l)
            matmul(scores, rows: rows.count, inner: l, lda: l, v, columns: d, ldb: 3 * h, into: out, ldo: h)
        }
    }
}
