import Foundation
import Kernels
import TestSupport
import Testing

@testable import LanguageModel

/// The reference logits of ../shared/fixtures/smollm2/logits.json: Hugging Face transformers on the
/// dequantised weights in float32, and llama.cpp (8-bit activations).
struct ReferencePrompt {
    var name: String
    var ids: [Int]
    var top20Transformers: [(id: Int, logit: Float)]
    var top20LlamaCpp: [(id: Int, logit: Float)]
    var greedyTransformers: [Int]
    var fullLogits: [Float]?

    static func load() throws -> [ReferencePrompt] {
        let root = try #require(
            try JSONSerialization.jsonObject(with: try TestResources.fixture("smollm2/logits.json")) as? [String: Any])
        let prompts = try #require(root["prompts"] as? [[String: Any]])
        func pairs(_ value: Any?) -> [(id: Int, logit: Float)] {
            ((value as? [[Double]]) ?? []).map { (id: Int($0[0]), logit: Float($0[1])) }
        }
        return try prompts.map { prompt in
            var full: [Float]?
            if let file = prompt["full_logits_file"] as? String {
                let data = try TestResources.fixture("smollm2/" + file)
                full = data.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
            }
            return ReferencePrompt(
                name: prompt["name"] as? String ?? "?", ids: prompt["ids"] as? [Int] ?? [],
                top20Transformers: pairs(prompt["top20_transformers"]), top20LlamaCpp: pairs(prompt["top20_llamacpp"]),
                greedyTransformers: (prompt["greedy_transformers"] as? [String: Any])?["ids"] as? [Int] ?? [],
                fullLogits: full)
        }
    }
}

func topIDs(_ logits: [Float], _ count: Int) -> [Int] {
    Array(logits.indices.sorted { logits[$0] != logits[$1] ? logits[$0] > logits[$1] : $0 < $1 }.prefix(count))
}

func cosine(_ a: [Float], _ b: [Float]) -> Double {
    var dot = 0.0
    var na = 0.0
    var nb = 0.0
    for (x, y) in zip(a, b) {
        dot += Double(x) * Double(y)
        na += Double(x) * Double(x)
        nb += Double(y) * Double(y)
    }
    return dot / (na.squareRoot() * nb.squareRoot())
}

/// Greedy continuation: argmax at each step, stopping after id 0 or 2 as the fixture does.
///
/// Yields after the prompt and after each token: tests run in parallel on Swift's cooperative
/// threads (two on a 2-core machine), and a long synchronous model test on each of them held back
/// every other test's tasks, once 45 s, so that a server test's 1 s body deadline fired too late.
func greedy(_ model: LanguageModel, prompt: [Int], tokens: Int) async throws -> (first: [Float], ids: [Int]) {
    let session = try model.makeSession(capacity: prompt.count + tokens)
    let first = session.prefill(prompt)
    await Task.yield()
    var logits = first
    var ids: [Int] = []
    while ids.count < tokens {
        let next = topIDs(logits, 1)[0]
        ids.append(next)
        if next == 0 || next == 2 || ids.count == tokens { break }
        logits = session.step(next)
        await Task.yield()
    }
    return (first, ids)
}

@Suite("SmolLM2 parity with transformers and llama.cpp", .serialized)
struct ParityTests {
    @Test("reference path (float32): same top-1, 19 of 20, cosine >= 0.9999, 32 greedy tokens equal")
    func referencePath() async throws {
        let model = try LanguageModel(url: try TestResources.requireSmolLM(), precision: .float32)
        for prompt in try ReferencePrompt.load() {
            let expectedGreedy = Array(prompt.greedyTransformers.prefix(32))
            let (logits, ids) = try await greedy(model, prompt: prompt.ids, tokens: expectedGreedy.count)
            let top = topIDs(logits, 20)
            #expect(top[0] == prompt.top20Transformers[0].id, "\(prompt.name): top-1")
            let shared = Set(top).intersection(prompt.top20Transformers.map(\.id)).count
            #expect(shared >= 19, "\(prompt.name): \(shared) of the top 20 shared")
            for (id, logit) in prompt.top20Transformers.prefix(5) {
                #expect(abs(logits[id] - logit) < 1e-2, "\(prompt.name): logit of \(id) \(logits[id]) vs \(logit)")
            }
            if let full = prompt.fullLogits {
                let similarity = cosine(logits, full)
                #expect(similarity >= 0.9999, "\(prompt.name): cosine \(similarity)")
            }
            #expect(ids == expectedGreedy, "\(prompt.name): greedy continuation")
        }
    }

    @Test("fast path: decoding steps with 8-bit activations stay within cosine 0.99 of float32, same top-1")
    func fastDecoding() async throws {
        let reference = try LanguageModel(url: try TestResources.requireSmolLM(), precision: .float32)
        let fast = try LanguageModel(url: try TestResources.requireSmolLM(), precision: .int8)
        for prompt in try ReferencePrompt.load() {
            // Both continue the same greedy tokens of transformers, so that each step sees the same context.
            let steps = Array(prompt.greedyTransformers.prefix(8))
            let exact = try reference.makeSession(capacity: prompt.ids.count + steps.count)
            let quick = try fast.makeSession(capacity: prompt.ids.count + steps.count)
            // One float32 prompt for both, so that only the decoding steps differ (the 8-bit
            // prompt is checked against transformers by `fastPath`).
            _ = exact.prefill(prompt.ids)
            _ = quick.prefill(prompt.ids, precision: .float32)
            await Task.yield()  // see `greedy`
            var agree = 0
            var overlap = 0
            for token in steps {
                let a = exact.step(token)
                let b = quick.step(token)
                await Task.yield()
                let similarity = cosine(a, b)
                #expect(similarity >= 0.99, "\(prompt.name): cosine \(similarity) after token \(token)")
                if topIDs(a, 1) == topIDs(b, 1) { agree += 1 }
                overlap += Set(topIDs(a, 10)).intersection(topIDs(b, 10)).count
            }
            // On average 8 of the float32 top 10 (single steps with near-ties may share 7).
            #expect(overlap >= 8 * steps.count, "\(prompt.name): \(overlap) shared over \(steps.count) steps")
            #expect(agree >= steps.count - 1, "\(prompt.name): top-1 agreed on \(agree) of \(steps.count) steps")
        }
    }

    @Test("fast path (as the benchmark runs it): top-1 of either engine, 8 of transformers' top 10, cosine >= 0.99")
    func fastPath() throws {
        let model = try LanguageModel(url: try TestResources.requireSmolLM(), precision: .int8)
        for prompt in try ReferencePrompt.load() {
            let session = try model.makeSession(capacity: prompt.ids.count)
            let logits = session.prefill(prompt.ids)
            let top = topIDs(logits, 10)
            #expect(
                top[0] == prompt.top20Transformers[0].id || top[0] == prompt.top20LlamaCpp[0].id,
                "\(prompt.name): top-1 \(top[0])")
            let shared = Set(top).intersection(prompt.top20Transformers.prefix(10).map(\.id)).count
            #expect(shared >= 8, "\(prompt.name): \(shared) of transformers' top 10 shared")
            if let full = prompt.fullLogits {
                let similarity = cosine(logits, full)
                #expect(similarity >= 0.99, "\(prompt.name): cosine \(similarity)")
            }
        }
    }
}

@Suite("Key/value cache consistency")
struct CacheConsistencyTests {
    @Test("a prompt run at once, in chunks, or token by token gives the same last logits")
    func batchedAndIncremental() throws {
        let model = try LanguageModel(url: try TestResources.requireSmolLM(), precision: .float32)
        let prompt = model.encode("The dock light blinks orange when the battery is low, so put the robot back.")
        try #require(prompt.count > 16)
        let whole = try model.makeSession(capacity: prompt.count).prefill(prompt)
        let stepwise = try model.makeSession(capacity: prompt.count)
        var logits: [Float] = []
        for token in prompt { logits = stepwise.step(token) }
        #expect(cosine(whole, logits) > 0.99999)
        #expect(topIDs(whole, 5) == topIDs(logits, 5))
        let chunked = try model.makeSession(capacity: prompt.count)
        _ = chunked.prefill(Array(prompt.prefix(5)))
        let rest = chunked.prefill(Array(prompt.dropFirst(5)))
        #expect(cosine(whole, rest) > 0.99999)
        #expect(stepwise.length == prompt.count && chunked.length == prompt.count)
    }
}
