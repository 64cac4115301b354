/// What one generation call asks for.
public struct GenerationOptions: Sendable, Equatable {
    /// Most tokens to generate.
    public var maxTokens: Int
    public var sampling: SamplingOptions
    /// Texts that end the answer when they appear; they are not part of it.
    public var stop: [String]
    /// Also stop at the model's end-of-turn and end-of-text tokens (the usual case).
    public var stopAtEndOfGeneration: Bool
    /// LoRA adapters to apply, each with its weight; empty for the base model.
    public var adapters: [ActiveAdapter]
    /// How many leading prompt tokens other prompts will share (a fixed system message): their keys
    /// and values are kept after this generation so that the next prompt with the same prefix (and
    /// the same adapters) skips them. 0 keeps nothing.
    public var reusablePrefixLength: Int

    public init(
        maxTokens: Int = 256, sampling: SamplingOptions = .greedy, stop: [String] = [],
        stopAtEndOfGeneration: Bool = true, adapters: [ActiveAdapter] = [], reusablePrefixLength: Int = 0
    ) {
        self.adapters = adapters
        self.reusablePrefixLength = reusablePrefixLength
        self.maxTokens = maxTokens
        self.sampling = sampling
        self.stop = stop
        self.stopAtEndOfGeneration = stopAtEndOfGeneration
    }

    /// The first option out of range, as a message naming it; nil when all are usable.
    public var problem: String? {
        if maxTokens < 1 { return "max_tokens must be at least 1, got \(maxTokens)" }
        if reusablePrefixLength < 0 { return "the reusable prefix length must not be negative" }
        if let bad = adapters.first(where: { !$0.weight.isFinite }) {
            return "the weight of adapter \(bad.adapter.name) must be a finite number, got \(bad.weight)"
        }
        return sampling.problem
    }
}

/// Why a generation ended.
public enum FinishReason: String, Sendable, Equatable, Codable {
    /// An end-of-turn token or a stop sequence.
    case stop
    /// `maxTokens` were generated.
    case length
    /// The consumer stopped listening.
    case cancelled
}

/// What a generation produced, besides its text.
public struct GenerationSummary: Sendable, Equatable {
    public var promptTokens: Int
    /// Prompt tokens whose keys and values came from the prefix cache instead of being computed.
    public var cachedPromptTokens: Int = 0
    public var generatedTokens: Int
    /// Generated token ids, end-of-turn token included when it ended the answer.
    public var ids: [Int]
    public var finishReason: FinishReason
    /// Seconds from the call to the first generated token (prompt processing included).
    public var timeToFirstToken: Double
    /// Seconds in all.
    public var totalSeconds: Double
}

/// One event of a generation stream: the prompt processed, pieces of text, then a summary at
/// the end.
public enum GenerationEvent: Sendable, Equatable {
    /// The prompt has run; `cachedTokens` of it came from the prefix cache. A consumer that stops
    /// early (and so never sees the summary) still learns what the prompt cost.
    case promptProcessed(cachedTokens: Int)
    case text(String)
    case finished(GenerationSummary)
}
