import Kernels

/// The BERT encoder's forward pass in float32 over a packed batch.
///
/// Follows Hugging Face's `BertModel` (embeddings → N × (self-attention, add & LayerNorm,
/// GELU feed-forward, add & LayerNorm)). Sequences are packed back to back with no padding:
/// every matrix product runs over exactly the real tokens of the batch, and attention runs per
/// sequence, so no mask is needed and no work is spent on pad positions.
///
/// Dimension letters: T packed tokens, L one sequence's length, H hidden size, I intermediate
/// size, D head size, N heads.
struct BertEncoder: Sendable {
    let configuration: BertConfiguration
    let weights: BertWeights

    /// Runs the encoder on `sequences` (token ids, each at most `maxPositions` long) and leaves
    /// the last hidden state, `(T, H)`, in `workspace.hidden`, sequence after sequence.
    func forward(_ sequences: [[Int]], workspace: EncoderWorkspace) {
        let h = configuration.hiddenSize
        let tokens = sequences.reduce(0) { $0 + $1.count }
        let longest = sequences.map(\.count).max() ?? 0
        workspace.reserve(tokens: tokens, longest: longest, configuration: configuration)
        embed(sequences, into: workspace.hidden.pointer)
        layerNormRows(
            workspace.hidden.pointer, residual: nil, rows: tokens, width: h,
            gamma: weights.embeddingNormWeight.pointer, beta: weights.embeddingNormBias.pointer,
            epsilon: configuration.layerNormEpsilon)
        for layer in weights.layers {
            encoderLayer(layer, lengths: sequences.map(\.count), tokens: tokens, workspace: workspace)
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

    private func encoderLayer(_ layer: BertLayerWeights, lengths: [Int], tokens t: Int, workspace w: EncoderWorkspace) {
        let h = configuration.hiddenSize
        let i = configuration.intermediateSize
        let hidden = w.hidden.pointer  // (T, H)
        let qkv = w.queryKeyValue.pointer  // (T, 3H)
        let context = w.context.pointer  // (T, H)
        let intermediate = w.intermediate.pointer  // (T, I)

        matmulTransposed(hidden, rows: t, inner: h, weights: layer.queryKeyValue.pointer, outputs: 3 * h, into: qkv)
        addBiasRows(qkv, bias: layer.queryKeyValueBias.pointer, rows: t, width: 3 * h)
        attention(qkv: qkv, lengths: lengths, into: context, scores: w.scores.pointer)

        // hidden ← LayerNorm(context·Woᵀ + bo + hidden)
        matmulTransposed(context, rows: t, inner: h, weights: layer.attentionOutput.pointer, outputs: h, into: qkv)
        addBiasRows(qkv, bias: layer.attentionOutputBias.pointer, rows: t, width: h)
        layerNormRows(
            hidden, residual: qkv, rows: t, width: h, gamma: layer.attentionNormWeight.pointer,
            beta: layer.attentionNormBias.pointer, epsilon: configuration.layerNormEpsilon)

        // hidden ← LayerNorm(GELU(hidden·Wiᵀ + bi)·Woutᵀ + bout + hidden)
        matmulTransposed(hidden, rows: t, inner: h, weights: layer.intermediate.pointer, outputs: i, into: intermediate)
        for row in 0..<t {
            let line = intermediate + row * i
            addInPlace(line, layer.intermediateBias.pointer, count: i)
            geluInPlace(line, count: i)
        }
        matmulTransposed(intermediate, rows: t, inner: i, weights: layer.output.pointer, outputs: h, into: qkv)
        addBiasRows(qkv, bias: layer.outputBias.pointer, rows: t, width: h)
        layerNormRows(
            hidden, residual: qkv, rows: t, width: h, gamma: layer.outputNormWeight.pointer,
            beta: layer.outputNormBias.pointer, epsilon: configuration.layerNormEpsilon)
    }

    /// Scaled dot-product attention per sequence and head: context = softmax(q·kᵀ/√D)·v.
    ///
    /// q, k and v are read in place from the fused `(T, 3H)` projection through leading
    /// dimensions, so no head is ever copied out.
    private func attention(
        qkv: UnsafeMutablePointer<Float>, lengths: [Int], into context: UnsafeMutablePointer<Float>,
        scores: UnsafeMutablePointer<Float>
    ) {
        let h = configuration.hiddenSize
        let d = configuration.headSize
        let scale = 1 / Float(d).squareRoot()
        var start = 0
        for l in lengths {
            for head in 0..<configuration.headCount {
                let q = qkv + start * 3 * h + head * d
                let k = q + h
                let v = q + 2 * h
                matmulTransposed(q, rows: l, inner: d, lda: 3 * h, k, columns: l, ldb: 3 * h, into: scores, ldo: l, alpha: scale)
                softmaxRows(scores, rows: l, width: l, stride: l)
                matmul(scores, rows: l, inner: l, lda: l, v, columns: d, ldb: 3 * h, into: context + start * h + head * d, ldo: h)
            }
            start += l
        }
    }
}

/// Scratch buffers for one worker's forward pass, grown when a batch needs more.
final class EncoderWorkspace {
    private(set) var hidden = FloatBuffer(count: 0)  // (T, H)
    private(set) var queryKeyValue = FloatBuffer(count: 0)  // (T, 3H); reused for (T, H) projections
    private(set) var context = FloatBuffer(count: 0)  // (T, H)
    private(set) var intermediate = FloatBuffer(count: 0)  // (T, I)
    private(set) var scores = FloatBuffer(count: 0)  // (L, L), one head at a time

    func reserve(tokens: Int, longest: Int, configuration c: BertConfiguration) {
        let h = c.hiddenSize
        if hidden.count < tokens * h {
            let capacity = max(tokens, hidden.count / h * 3 / 2)
            hidden = FloatBuffer(count: capacity * h)
            queryKeyValue = FloatBuffer(count: capacity * 3 * h)
            context = FloatBuffer(count: capacity * h)
            intermediate = FloatBuffer(count: capacity * c.intermediateSize)
        }
        if scores.count < longest * longest {
            scores = FloatBuffer(count: longest * longest)
        }
    }
}
