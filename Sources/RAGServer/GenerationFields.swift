import LanguageModel

extension JSONRequest {
    /// The generation settings of a query or chat request (OpenAI's names). Answers are greedy
    /// (temperature 0) unless the request asks otherwise: a support answer should not change from
    /// one asking to the next.
    func generationOptions(defaultMaxTokens: Int, contextLength: Int) throws -> GenerationOptions {
        var sampling = SamplingOptions.greedy
        if let temperature = try double("temperature", in: 0...2) { sampling.temperature = Float(temperature) }
        if let topP = try double("top_p", in: 0...1) {
            guard topP > 0 else { throw APIError.invalid("'top_p' must be above 0, got 0", param: "top_p") }
            sampling.topP = Float(topP)
        }
        if let topK = try int("top_k", in: 0...100_000) { sampling.topK = topK }
        if let minP = try double("min_p", in: 0...1) { sampling.minP = Float(minP) }
        if let penalty = try double("repetition_penalty", in: 0.01...10) { sampling.repetitionPenalty = Float(penalty) }
        if let seed = try int("seed", in: Int.min...Int.max) { sampling.seed = UInt64(bitPattern: Int64(seed)) }
        let maxTokens =
            try int("max_tokens", in: 1...contextLength) ?? int("max_completion_tokens", in: 1...contextLength)
            ?? defaultMaxTokens
        let stop = try strings("stop") ?? []
        guard stop.count <= 8, stop.allSatisfy({ !$0.isEmpty && $0.count <= 200 }) else {
            throw APIError.invalid(
                "'stop' takes at most 8 non-empty sequences of at most 200 characters", param: "stop")
        }
        return GenerationOptions(maxTokens: min(maxTokens, contextLength), sampling: sampling, stop: stop)
    }
}
