import Testing

@testable import LanguageModel

@Suite("Token sampling")
struct TokenSamplerTests {
    func sample(_ logits: [Float], _ options: SamplingOptions, history: [Int] = []) -> Int {
        var sampler = TokenSampler(options: options)
        sampler.observe(history)
        return logits.withUnsafeBufferPointer { sampler.sample($0) }
    }

    @Test("greedy takes the highest logit, the lower id on a tie")
    func greedy() {
        #expect(sample([0.1, 3, -2, 2.9], .greedy) == 1)
        #expect(sample([5, 1, 5], .greedy) == 0)
    }

    @Test("the repetition penalty divides positive and multiplies negative logits of recent tokens")
    func repetitionPenalty() {
        let options = SamplingOptions(repetitionPenalty: 2)
        // Token 1 (3.0) is seen: 1.5 < 2.9, so token 3 wins.
        #expect(sample([0.1, 3, -2, 2.9], options, history: [1]) == 3)
        // A negative logit gets worse, never better.
        #expect(sample([-1, -1.5], options, history: [0]) == 1)
        // Outside the window, no penalty.
        let short = SamplingOptions(repetitionPenalty: 2, repetitionWindow: 1)
        #expect(sample([0.1, 3, -2, 2.9], short, history: [1, 0]) == 1)
    }

    @Test("the same seed gives the same draws; another seed, other draws; all drawn tokens pass the filters")
    func seededDraws() {
        let logits = (0..<50).map { Float($0 % 7) * 0.3 }
        func draws(_ seed: UInt64) -> [Int] {
            var sampler = TokenSampler(
                options: SamplingOptions(temperature: 1, topK: 0, topP: 1, minP: 0, seed: seed))
            return (0..<40).map { _ in logits.withUnsafeBufferPointer { sampler.sample($0) } }
        }
        #expect(draws(42) == draws(42))
        #expect(draws(42) != draws(43))
        #expect(Set(draws(42)).count > 5)
    }

    @Test("top-k, top-p and min-p keep only the likely tokens")
    func filters() {
        let logits: [Float] = [10, 9.5, 2, 1, 0]
        for seed in 0..<30 as Range<UInt64> {
            let k = sample(logits, SamplingOptions(temperature: 5, topK: 2, topP: 1, minP: 0, seed: seed))
            #expect(k == 0 || k == 1)
            // exp(-0.5) ≈ 0.61 of the best: 0 and 1 reach p = 0.9; 2 does not.
            let p = sample(logits, SamplingOptions(temperature: 5, topK: 0, topP: 0.9, minP: 0, seed: seed))
            #expect(p == 0 || p == 1)
            let m = sample(logits, SamplingOptions(temperature: 5, topK: 0, topP: 1, minP: 0.5, seed: seed))
            #expect(m == 0 || m == 1)
        }
        // Without filters and a high temperature, unlikely tokens do come up.
        let wide = (0..<200 as Range<UInt64>).map {
            sample(logits, SamplingOptions(temperature: 100, topK: 0, topP: 1, minP: 0, seed: $0))
        }
        #expect(Set(wide).count == 5)
    }

    @Test("options out of range are named")
    func problems() {
        #expect(SamplingOptions(temperature: -1).problem?.contains("temperature") == true)
        #expect(SamplingOptions(topP: 0).problem?.contains("top_p") == true)
        #expect(SamplingOptions(minP: 2).problem?.contains("min_p") == true)
        #expect(SamplingOptions(repetitionPenalty: 0).problem?.contains("repetition_penalty") == true)
        #expect(SamplingOptions().problem == nil)
    }
}
