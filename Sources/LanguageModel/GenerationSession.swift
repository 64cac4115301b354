import Kernels

/// One context being extended token by token: the model plus its own key/value cache.
///
/// Not thread-safe: one generation drives it. Several sessions may share one model.
public final class GenerationSession: @unchecked Sendable {
    let model: LlamaModel
    let cache: KeyValueCache
    let precision: ActivationPrecision
    /// The adapters every token of this session goes through.
    public let adapters: [ActiveAdapter]

    init(model: LlamaModel, capacity: Int, precision: ActivationPrecision, adapters: [ActiveAdapter] = []) {
        self.model = model
        self.precision = precision
        self.adapters = adapters
        let c = model.configuration
        // The fast path keeps keys and values in half precision, as llama.cpp does; the float32
        // reference keeps them exact.
        cache = KeyValueCache(
            layerCount: c.layerCount, rowWidth: c.keyValueWidth, capacity: capacity,
            format: precision == .int8 ? .f16 : .f32)
    }

    /// Positions used so far.
    public var length: Int { cache.count }
    public var capacity: Int { cache.capacity }
    /// Bytes of the key/value cache.
    public var cacheBytes: Int { cache.byteCount }

    /// Runs the prompt (in chunks of at most `LlamaModel.maximumBatch` tokens) and returns the
    /// logits of its last token.
    ///
    /// Prompts always run in float32, whatever the session's precision: from 16 tokens on,
    /// dequantised tiles and sgemm beat the 8-bit kernels (measured 1.2x at 16 tokens, 1.5x at 32,
    /// 1.9x at 128 on 2 cores), and for shorter prompts 8-bit activations cost accuracy where it
    /// matters most (on a 4-token prompt, 7 of transformers' top 10 instead of 9 or 10) for a few
    /// milliseconds saved. Decoding, one token at a time and bound by memory, uses the 8-bit path.
    /// - Precondition: the tokens are valid ids and fit the remaining capacity.
    public func prefill(_ tokens: [Int]) -> [Float] {
        precondition(!tokens.isEmpty && length + tokens.count <= capacity)
        var logits: [Float] = []
        var start = 0
        while start < tokens.count {
            let end = min(tokens.count, start + LlamaModel.maximumBatch)
            logits = model.forward(Array(tokens[start..<end]), cache: cache, precision: .float32, adapters: adapters)
            start = end
        }
        return logits
    }

    /// Appends one token and returns the logits for the next.
    public func step(_ token: Int) -> [Float] {
        precondition(length < capacity)
        return model.forward([token], cache: cache, precision: precision, adapters: adapters)
    }
}
