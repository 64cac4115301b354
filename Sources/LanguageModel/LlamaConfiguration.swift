import Kernels
import ModelFiles

/// The hyper-parameters of a llama-family decoder, read from GGUF metadata.
public struct LlamaConfiguration: Sendable, Equatable {
    /// `general.architecture`: llama or qwen2.
    public var architecture: String
    public var layerCount: Int
    /// Width of the residual stream (`embedding_length`).
    public var width: Int
    public var feedForwardWidth: Int
    public var headCount: Int
    /// Key/value heads; fewer than `headCount` is grouped-query attention.
    public var keyValueHeadCount: Int
    public var headSize: Int
    public var contextLength: Int
    public var vocabularySize: Int
    public var ropeBase: Float
    /// Dimensions of each head that RoPE rotates.
    public var ropeDimensions: Int
    public var rmsEpsilon: Float
    /// llama GGUFs store q/k rows permuted for adjacent-pair rotation; qwen2 keeps Hugging Face's halves.
    public var ropeLayout: RoPELayout
    /// qwen2 adds biases to the q, k and v projections.
    public var hasAttentionBiases: Bool

    /// The architectures this runtime implements.
    public static let supportedArchitectures: Set<String> = ["llama", "qwen2"]

    public init(file: GGUFFile) throws(LanguageModelError) {
        let path = file.path
        func read<T>(_ key: String, _ body: () throws(ModelFileError) -> T) throws(LanguageModelError) -> T {
            do { return try body() } catch { throw .invalidMetadata(path: path, key: key, reason: "\(error)") }
        }
        architecture = try read("general.architecture") { () throws(ModelFileError) in
            try file.string("general.architecture")
        }
        guard Self.supportedArchitectures.contains(architecture) else {
            throw .unsupportedArchitecture(path: path, architecture: architecture)
        }
        let prefix = architecture + "."
        func int(_ key: String, default fallback: Int? = nil) throws(LanguageModelError) -> Int {
            let full = prefix + key
            let value: Int = try read(full) { () throws(ModelFileError) in
                if let fallback { return try file.int(full, default: fallback) }
                return try file.int(full)
            }
            guard value > 0 else {
                throw .invalidMetadata(path: path, key: full, reason: "must be above 0, is \(value)")
            }
            return value
        }
        func float(_ key: String, default fallback: Double) throws(LanguageModelError) -> Float {
            let full = prefix + key
            let value = try read(full) { () throws(ModelFileError) in try file.float(full, default: fallback) }
            guard value > 0, value.isFinite else {
                throw .invalidMetadata(path: path, key: full, reason: "must be a number above 0, is \(value)")
            }
            return Float(value)
        }
        layerCount = try int("block_count")
        width = try int("embedding_length")
        feedForwardWidth = try int("feed_forward_length")
        headCount = try int("attention.head_count")
        keyValueHeadCount = try int("attention.head_count_kv", default: headCount)
        headSize = try int("attention.key_length", default: width / headCount)
        contextLength = try int("context_length", default: 2048)
        ropeDimensions = try int("rope.dimension_count", default: headSize)
        ropeBase = try float("rope.freq_base", default: 10_000)
        // base^(-2i/d) must shrink with i: a base of 1 or less makes no rotation or a growing one.
        guard ropeBase > 1 else {
            throw .invalidMetadata(
                path: path, key: prefix + "rope.freq_base", reason: "must be above 1, is \(ropeBase)")
        }
        rmsEpsilon = try float("attention.layer_norm_rms_epsilon", default: 1e-5)
        let tokens: Int = try read("tokenizer.ggml.tokens") { () throws(ModelFileError) in
            try file.array("tokenizer.ggml.tokens").count
        }
        vocabularySize = try int("vocab_size", default: tokens)
        ropeLayout = architecture == "qwen2" ? .neox : .normal
        hasAttentionBiases = architecture == "qwen2"

        guard headCount % keyValueHeadCount == 0 else {
            throw .invalidMetadata(
                path: path, key: prefix + "attention.head_count_kv",
                reason: "(\(keyValueHeadCount)) must divide the head count \(headCount)")
        }
        // Products of header numbers size the weights and the buffers: a forged file must get an error
        // here, not a trap when a width is first computed.
        for (heads, key) in [(headCount, "attention.head_count"), (keyValueHeadCount, "attention.head_count_kv")]
        where heads.multipliedReportingOverflow(by: headSize).overflow {
            throw .invalidMetadata(
                path: path, key: prefix + key,
                reason: "(\(heads)) times the head size \(headSize) overflows a 64-bit size")
        }
        guard ropeDimensions <= headSize, ropeDimensions % 2 == 0 else {
            throw .invalidMetadata(
                path: path, key: prefix + "rope.dimension_count",
                reason: "(\(ropeDimensions)) must be even and at most the head size \(headSize)")
        }
    }

    /// Floats of one position's keys (or values) across the key/value heads.
    public var keyValueWidth: Int { keyValueHeadCount * headSize }
    /// Floats of one position's queries across the heads.
    public var queryWidth: Int { headCount * headSize }
}
