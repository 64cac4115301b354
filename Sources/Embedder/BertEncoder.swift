import Kernels

/// The BERT encoder's forward pass over a packed batch.
///
/// Follows Hugging Face's `BertModel` (embeddings → N × (self-attention, add & LayerNorm,
/// GELU feed-forward, add & LayerNorm)). Sequences are packed back to back with no padding:
/// every matrix product runs over exactly the real tokens of the batch, and attention runs per
/// sequence, so no mask is needed and no work is spent on pad positions.
///
/// Everything is float32, except in `fast` precision (weights loaded with int8 panels), where
/// the linear layers quantise their input rows and run the integer product.
///
/// Dimension letters: T packed tokens, L one sequence's length, H hidden size, I intermediate
/// size, D head size, N heads.
struct BertEncoder: Sendable {
    let configuration: BertConfiguration
    let weights: BertWeights
    /// The choices of the int8 products (used when the weights have int8 panels).
    var plan = FastProductPlan()
    /// Whether attention runs on `Attention.head` (fast precision) rather than BLAS. Measured
    /// with 2 threads: about 10% more throughput in fast precision, but 20% less in exact
    /// precision, where it competes for cache with the float32 weight stream.
    var attentionKernel = false

    /// Runs the encoder on `sequences` (token ids, each at most `maxPositions` long) and leaves
    /// the last hidden state, `(T, H)`, in `workspace.hidden`, sequence after sequence.
    ///
    /// - Parameter threads: threads sharing this one batch, for when there are fewer batches than
    ///   cores (a single query): matrix products are split by output columns and attention by
    ///   heads, run on `WorkerPool.shared`. With 1 the whole pass runs on the calling thread.
    func forward(_ sequences: [[Int]], workspace: EncoderWorkspace, threads: Int = 1) {
        let h = configuration.hiddenSize
        let lengths = sequences.map(\.count)
        let tokens = lengths.reduce(0, +)
        let threads = max(1, threads)
        workspace.reserve(tokens: tokens, longest: lengths.max() ?? 0, threads: threads, configuration: configuration)
        embed(sequences, into: workspace.hidden.pointer)
        layerNormRows(
            workspace.hidden.pointer, residual: nil, rows: tokens, width: h,
            gamma: weights.embeddingNormWeight.pointer, beta: weights.embeddingNormBias.pointer,
            epsilon: configuration.layerNormEpsilon)
        // Each sequence's first and last tokens ([CLS] and [SEP]).
        var boundaries: [Int] = []
        var start = 0
        for length in lengths where length > 0 {
            boundaries.append(start)
            if length > 1 { boundaries.append(start + length - 1) }
            start += length
        }
        for layer in weights.layers {
            encoderLayer(
                layer, lengths: lengths, boundaries: boundaries, tokens: tokens, workspace: workspace, threads: threads)
        }
    }

    /// hidden[t] = word[id] + position[p] + tokenType[0], t running over the packed tokens.
    private func embed(_ sequences: [[Int]], into hidden: UnsafeMutablePointer<Float>) {
        let h = configuration.hiddenSize
        var row = 0
        for ids in sequences {
            for (position, id) in ids.enumerated() {
                let out = hidden + row * h
                out.update(from: weights.wordEmbeddings.pointer + id * h, count: h)
                addInPlace(out, weights.positionEmbeddings.pointer + position * h, count: h)
                addInPlace(out, weights.tokenTypeEmbeddings.pointer, count: h)
                row += 1
            }
        }
    }

    private func encoderLayer(
        _ layer: BertLayerWeights, lengths: [Int], boundaries: [Int], tokens t: Int, workspace w: EncoderWorkspace,
        threads: Int
    ) {
        func linear(
            _ site: LinearSite, _ x: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>, gelu: Bool = false
        ) {
            self.linear(
                x, rows: t, layer[site], site: site, wide: boundaries, into: out, workspace: w, threads: threads,
                gelu: gelu)
        }
        let h = configuration.hiddenSize
        let hidden = w.hidden.pointer  // (T, H)
        let qkv = w.queryKeyValue.pointer  // (T, 3H)
        let context = w.context.pointer  // (T, H)
        let intermediate = w.intermediate.pointer  // (T, I)

        linear(.queryKeyValue, hidden, into: qkv)
        attention(qkv: qkv, lengths: lengths, into: context, workspace: w, threads: threads)

        // hidden ← LayerNorm(context·Woᵀ + bo + hidden)
        linear(.attentionOutput, context, into: qkv)
        layerNormRows(
            hidden, residual: qkv, rows: t, width: h, gamma: layer.attentionNormWeight.pointer,
            beta: layer.attentionNormBias.pointer, epsilon: configuration.layerNormEpsilon)

        // hidden ← LayerNorm(GELU(hidden·Wiᵀ + bi)·Woutᵀ + bout + hidden)
        linear(.intermediate, hidden, into: intermediate, gelu: true)
        linear(.output, intermediate, into: qkv)
        layerNormRows(
            hidden, residual: qkv, rows: t, width: h, gamma: layer.outputNormWeight.pointer,
            beta: layer.outputNormBias.pointer, epsilon: configuration.layerNormEpsilon)
    }

    /// out (T, N) = x (T, K) · Wᵀ + b, then GELU when asked; with several threads each takes a
    /// block of the weight panels (output columns), bias and activation included.
    ///
    /// With int8 weights the rows of x are quantised first, once, split across the same threads.
    private func linear(
        _ x: UnsafePointer<Float>, rows t: Int, _ layer: BertLinear, site: LinearSite, wide: [Int],
        into out: UnsafeMutablePointer<Float>, workspace: EncoderWorkspace, threads: Int, gelu: Bool = false
    ) {
        let activation: PackedWeights.Activation = gelu ? .gelu : .none
        let bias = layer.bias.pointer
        switch layer.weight {
        case .int8(let weight):
            let quantized = workspace.int8Activations(site, inputs: weight.inputs, plan: plan)
            quantized.quantize(x, rows: t, for: weight, wide: wide, threads: threads)
            let blocks = Parallel.ranges(of: weight.panelCount, parts: threads, granule: 1)
            WorkerPool.shared.run(blocks.count) { index in
                weight.multiply(quantized, bias: bias, activation: activation, into: out, panels: blocks[index])
            }
        case .float(let weight):
            let blocks = Parallel.ranges(of: weight.panelCount, parts: threads, granule: 1)
            WorkerPool.shared.run(blocks.count) { index in
                weight.multiply(x, rows: t, bias: bias, activation: activation, into: out, panels: blocks[index])
            }
        }
    }

    /// Scaled dot-product attention per sequence and head: context = softmax(q·kᵀ/√D)·v.
    ///
    /// q, k and v are read in place from the fused `(T, 3H)` projection through leading
    /// dimensions, so no head is ever copied out. With several threads each takes a block of
    /// heads and its own score buffer. With `attentionKernel`, heads of a multiple of 16
    /// features run on `Attention.head`, others on BLAS.
    private func attention(
        qkv: UnsafeMutablePointer<Float>, lengths: [Int], into context: UnsafeMutablePointer<Float>,
        workspace: EncoderWorkspace, threads: Int
    ) {
        let h = configuration.hiddenSize
        let d = configuration.headSize
        let scale = 1 / Float(d).squareRoot()
        let headBlocks = Parallel.ranges(of: configuration.headCount, parts: threads, granule: 1)
        let longest = lengths.max() ?? 0
        let scoresPerThread = EncoderWorkspace.scoresPerThread(longest: longest, headSize: d)
        let packed = attentionKernel && Attention.supports(headSize: d)
        WorkerPool.shared.run(headBlocks.count) { block in
            let scores = workspace.scores.pointer + block * scoresPerThread
            var start = 0
            for l in lengths {
                for head in headBlocks[block] {
                    let q = qkv + start * 3 * h + head * d
                    let k = q + h
                    let v = q + 2 * h
                    if packed {
                        Attention.head(
                            q: q, k: k, v: v, ld: 3 * h, length: l, headSize: d, scale: scale,
                            into: context + start * h + head * d, ldo: h, scratch: scores)
                        continue
                    }
                    matmulTransposed(
                        q, rows: l, inner: d, lda: 3 * h, k, columns: l, ldb: 3 * h, into: scores, ldo: l, alpha: scale)
                    softmaxRows(scores, rows: l, width: l, stride: l)
                    matmul(
                        scores, rows: l, inner: l, lda: l, v, columns: d, ldb: 3 * h,
                        into: context + start * h + head * d,
                        ldo: h)
                }
                start += l
            }
        }
    }
}

/// Scratch buffers for one worker's forward pass, grown when a batch needs more.
///
/// One forward pass uses it at a time; between calls `SentenceEmbedder` keeps it in a list behind
/// a mutex, which is what makes the `@unchecked Sendable` sound.
final class EncoderWorkspace: @unchecked Sendable {
    private(set) var hidden = FloatBuffer(count: 0)  // (T, H)
    private(set) var queryKeyValue = FloatBuffer(count: 0)  // (T, 3H); reused for (T, H) projections
    private(set) var context = FloatBuffer(count: 0)  // (T, H)
    private(set) var intermediate = FloatBuffer(count: 0)  // (T, I)
    private(set) var scores = FloatBuffer(count: 0)  // (threads, scoresPerThread), one head at a time per thread
    private var quantized: [LinearSite: Int8Activations] = [:]  // (T, H) or (T, I) as bytes

    /// Tokens the buffers hold.
    var tokenCapacity: Int { hidden.count / max(1, hiddenSize) }
    private var hiddenSize = 0

    /// Scratch floats one thread's attention needs: `Attention.head`'s, or an L×L score matrix.
    static func scoresPerThread(longest: Int, headSize: Int) -> Int {
        max(longest * longest, Attention.scratchCount(length: longest, headSize: headSize))
    }

    /// The quantised-activation buffers for the inputs of one kind of linear layer.
    func int8Activations(_ site: LinearSite, inputs: Int, plan: FastProductPlan) -> Int8Activations {
        let outliers = plan.outliers(site)
        if let existing = quantized[site], existing.inputs == inputs, existing.outliersPerRow == outliers,
            existing.wideRowOutliers == plan.specialTokenOutliers
        {
            return existing
        }
        let created = Int8Activations(
            inputs: inputs, outliersPerRow: outliers, wideRowOutliers: plan.specialTokenOutliers)
        quantized[site] = created
        return created
    }

    func reserve(tokens: Int, longest: Int, threads: Int, configuration c: BertConfiguration) {
        let h = c.hiddenSize
        hiddenSize = h
        if hidden.count < tokens * h {
            let capacity = max(tokens, hidden.count / h * 3 / 2)
            hidden = FloatBuffer(count: capacity * h)
            queryKeyValue = FloatBuffer(count: capacity * 3 * h)
            context = FloatBuffer(count: capacity * h)
            intermediate = FloatBuffer(count: capacity * c.intermediateSize)
        }
        let perThread = Self.scoresPerThread(longest: longest, headSize: c.headSize)
        if scores.count < threads * perThread {
            scores = FloatBuffer(count: threads * perThread)
        }
    }
}
