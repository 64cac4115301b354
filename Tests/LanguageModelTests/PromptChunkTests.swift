import Kernels
import TestSupport
import Testing

@testable import LanguageModel

@Suite("Prompts longer than one forward call")
struct PromptChunkTests {
    /// Several chunks of `LlamaModel.maximumBatch` tokens, each attending over the cache so far
    /// (widened from half precision in the fast path), must give what other chunk boundaries give.
    @Test(
        "a prompt of several chunks gives the same logits whatever its pieces",
        arguments: [ActivationPrecision.int8, .float32])
    func chunkBoundaries(precision: ActivationPrecision) throws {
        let model = try LanguageModel(url: try TestResources.requireSmolLM(), precision: precision)
        var prompt: [Int] = []
        while prompt.count < 2 * LlamaModel.maximumBatch + 40 {
            prompt += model.encode("The dock light blinks orange when the battery is low, so put the robot back. ")
        }
        let whole = try model.makeSession(capacity: prompt.count + 1)
        let wholeLogits = whole.prefill(prompt)
        let pieces = try model.makeSession(capacity: prompt.count + 1)
        _ = pieces.prefill(Array(prompt.prefix(37)))
        let piecesLogits = pieces.prefill(Array(prompt.dropFirst(37)))
        #expect(cosine(wholeLogits, piecesLogits) > 0.99999)
        #expect(topIDs(wholeLogits, 5) == topIDs(piecesLogits, 5))
        // Decoding goes on from either.
        let next = topIDs(wholeLogits, 1)[0]
        #expect(topIDs(whole.step(next), 3) == topIDs(pieces.step(next), 3))
    }
}
