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
        // Other boundaries change the attention's float sums in the last bits. In float32 that is
        // all; with 8-bit activations such a difference can round an activation to the
        // neighbouring step, which later layers carry on, so near-ties may swap places.
        let float = precision == .float32
        // (Measured with 8-bit activations: 0.9995 after the prompt, 0.998 after the next step; the
        // fast path is held to 0.99 of transformers.)
        #expect(cosine(wholeLogits, piecesLogits) > (float ? 0.99999 : 0.995))
        if float {
            #expect(topIDs(wholeLogits, 5) == topIDs(piecesLogits, 5))
        } else {
            #expect(topIDs(wholeLogits, 1) == topIDs(piecesLogits, 1))
            #expect(Set(topIDs(wholeLogits, 5)).intersection(topIDs(piecesLogits, 5)).count >= 4)
        }
        // Decoding goes on from either.
        let next = topIDs(wholeLogits, 1)[0]
        let (a, b) = (whole.step(next), pieces.step(next))
        #expect(cosine(a, b) > (float ? 0.99999 : 0.995))
        #expect(topIDs(a, float ? 3 : 1) == topIDs(b, float ? 3 : 1))
    }
}
