import Kernels

/// The buffers of one forward call, carved out of one `ScratchBlock`.
///
/// The attention's buffers (queries, new keys and values, attended, widened cache rows)
/// and the feed-forward's (gate, up) are never in use at the same time, so they overlap: the
/// feed-forward's start where the attention's do. For a 256-token chunk of SmolLM2 at 512
/// positions the call needs 4.3 MB instead of 7.7 MB, at the moment the key/value cache is fullest.
final class ForwardScratch {
    let residual: UnsafeMutablePointer<Float>
    let normed: UnsafeMutablePointer<Float>
    let queries: UnsafeMutablePointer<Float>
    /// The new positions' keys and values in float32, before an `.f16` cache stores them.
    let newKeys: UnsafeMutablePointer<Float>
    let newValues: UnsafeMutablePointer<Float>
    let attended: UnsafeMutablePointer<Float>
    /// Keys, then values, of every position attended, widened from an `.f16` cache for `sgemm`.
    let widened: UnsafeMutablePointer<Float>
    let gate: UnsafeMutablePointer<Float>
    let up: UnsafeMutablePointer<Float>
    /// 8-bit activations for inputs of the model's width, its query width and its feed-forward
    /// width; nil with `.float32`.
    let widthActivations: QuantizedActivations?
    let queryActivations: QuantizedActivations?
    let feedForwardActivations: QuantizedActivations?
    private let block: ScratchBlock

    /// Buffers for `m` new tokens at the next positions of `cache`, with widened rows when the
    /// tokens attend in a chunk (`attendsInChunk`) over an `.f16` cache. (Each piece of a chunk's
    /// attention allocates its own scores, at most 64 tokens' worth: see `attendChunk`.)
    init(
        configuration c: LlamaConfiguration, tokens m: Int, precision: ActivationPrecision, cache: KeyValueCache,
        attendsInChunk: Bool
    ) {
        let length = cache.count + m
        let widenedCount = attendsInChunk && cache.format == .f16 ? 2 * length * c.keyValueWidth : 0
        // Float offsets, each rounded up to 64 bytes.
        func rounded(_ count: Int) -> Int { (count + 15) / 16 * 16 }
        let attention = [
            m * c.queryWidth, m * c.queryWidth, m * c.keyValueWidth, m * c.keyValueWidth, widenedCount,
        ].map(rounded)
        let feedForward = rounded(m * c.feedForwardWidth)
        let shared = max(attention.reduce(0, +), 2 * feedForward)
        let fixed = rounded(m * c.width) + rounded(m * max(c.width, c.queryWidth))
        block = ScratchBlock(byteCount: (fixed + shared) * MemoryLayout<Float>.stride)
        let base = block.floats
        residual = base
        normed = residual + rounded(m * c.width)
        queries = base + fixed
        attended = queries + attention[0]
        newKeys = attended + attention[1]
        newValues = newKeys + attention[2]
        widened = newValues + attention[3]
        gate = queries
        up = gate + feedForward
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
}
