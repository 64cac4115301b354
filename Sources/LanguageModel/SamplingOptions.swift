/// How the next token is chosen from the model's logits.
///
/// The filters run in llama.cpp's order: repetition penalty, top-k, top-p, min-p, then
/// temperature and a seeded draw. A temperature of 0 is greedy decoding (the highest logit after
/// the penalty), which is what parity tests and reproducible answers use.
public struct SamplingOptions: Sendable, Equatable {
    /// 0 for greedy; above 0 flattens (> 1) or sharpens (< 1) the distribution.
    public var temperature: Float
    /// Keep only the k most likely tokens; 0 keeps all.
    public var topK: Int
    /// Keep the smallest set of most likely tokens whose probabilities sum to at least p; 1 keeps all.
    public var topP: Float
    /// Drop tokens less likely than min-p times the most likely one; 0 keeps all.
    public var minP: Float
    /// Logits of tokens seen in the last `repetitionWindow` tokens are divided (when positive) or
    /// multiplied (when negative) by this; 1 leaves them alone.
    public var repetitionPenalty: Float
    public var repetitionWindow: Int
    /// The same seed, prompt and options give the same text.
    public var seed: UInt64

    public init(
        temperature: Float = 0, topK: Int = 40, topP: Float = 0.95, minP: Float = 0.05,
        repetitionPenalty: Float = 1, repetitionWindow: Int = 64, seed: UInt64 = 0
    ) {
        self.temperature = temperature
        self.topK = topK
        self.topP = topP
        self.minP = minP
        self.repetitionPenalty = repetitionPenalty
        self.repetitionWindow = repetitionWindow
        self.seed = seed
    }

    /// Greedy decoding with no penalty.
    public static let greedy = SamplingOptions()

    /// The first option out of range, as a message naming it; nil when all are usable.
    public var problem: String? {
        if !(temperature >= 0) || !temperature.isFinite { return "temperature must be 0 or more, got \(temperature)" }
        if topK < 0 { return "top_k must be 0 or more, got \(topK)" }
        if !(topP > 0 && topP <= 1) { return "top_p must be in (0, 1], got \(topP)" }
        if !(minP >= 0 && minP <= 1) { return "min_p must be in [0, 1], got \(minP)" }
        if !(repetitionPenalty > 0) || !repetitionPenalty.isFinite {
            return "repetition_penalty must be above 0, got \(repetitionPenalty)"
        }
        if repetitionWindow < 0 { return "the repetition window must be 0 or more, got \(repetitionWindow)" }
        return nil
    }
}
