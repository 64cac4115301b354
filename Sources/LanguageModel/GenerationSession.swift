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
    /// logits of its last token, in the session's precision.
    ///
    /// In `.int8` the prompt's products run on 8-bit activations too, as llama.cpp's do: the
    /// 4-bit matrices then take the tile kernel (`QuantizedMatrix.multiplyTiles`), about twice
    /// the float32 rate, which is most of a RAG answer's time to first token. Measured on the
    /// 107 questions of corpora/aurora-x2 against float32 prompts: 72 of 107 greedy answers
    /// change, and none of the answer scores differs significantly (see the README).
    /// - Precondition: the tokens are valid ids and fit the remaining capacity.
    public func prefill(_ tokens: [Int]) -> [Float] {
        prefill(tokens, precision: precision)
    }

    /// `prefill(_:)` in a given precision (tests compare decoding steps from one shared prompt).
    func prefill(_ tokens: [Int], precision: ActivationPrecision) -> [Float] {
        precondition(!tokens.isEmpty && length + tokens.count <= capacity)
        var logits: [Float] = []
        var start = 0
        while start < tokens.count {
            let end = min(tokens.count, start + LlamaModel.maximumBatch)
            logits = model.forward(Array(tokens[start..<end]), cache: cache, precision: precision, adapters: adapters)
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
