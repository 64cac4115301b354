import AdapterLoader
import Foundation
import LanguageModel
import TestSupport
import Testing

/// One prompt of ../shared/fixtures/adapters/NAME/reference.json (PEFT, float32).
struct AdapterReference {
    var name: String
    var ids: [Int]
    var top20Base: [Int]
    var top20Adapted: [Int]
    var greedyBase: [Int]
    var greedyAdapted: [Int]

    static func load(_ adapter: String) throws -> [AdapterReference] {
        let data = try TestResources.fixture("adapters/\(adapter)/reference.json")
        let root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let prompts = try #require(root["prompts"] as? [[String: Any]])
        func ids(_ value: Any?) -> [Int] { ((value as? [[Double]]) ?? []).map { Int($0[0]) } }
        func greedy(_ value: Any?) -> [Int] { (value as? [String: Any])?["ids"] as? [Int] ?? [] }
        return prompts.map { prompt in
            AdapterReference(
                name: prompt["name"] as? String ?? "?", ids: prompt["ids"] as? [Int] ?? [],
                top20Base: ids(prompt["top20_base"]), top20Adapted: ids(prompt["top20_adapted"]),
                greedyBase: greedy(prompt["greedy_base"]), greedyAdapted: greedy(prompt["greedy_adapted"]))
        }
    }
}

func topIDs(_ logits: [Float], _ count: Int) -> [Int] {
    Array(logits.indices.sorted { logits[$0] != logits[$1] ? logits[$0] > logits[$1] : $0 < $1 }.prefix(count))
}

/// Greedy continuation through `adapters`, stopping after id 0 or 2 as the fixture does.
///
/// Yields after the prompt and after each token: tests run in parallel on Swift's cooperative
/// threads (two on a 2-core machine), and a long synchronous model test on each of them held back
/// every other test's tasks, once 45 s, so that a server test's 1 s body deadline fired too late.
func greedy(_ model: LanguageModel, _ prompt: [Int], _ tokens: Int, _ adapters: [ActiveAdapter]) async throws -> (
    first: [Float], ids: [Int]
) {
    let session = try model.makeSession(capacity: prompt.count + tokens, adapters: adapters)
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

@Suite("LoRA adapters against PEFT", .serialized)
struct PEFTParityTests {
    static let adapters = ["aurora-qv", "aurora-all"]

    func adapter(_ name: String, for model: LanguageModel) throws -> LoRAAdapter {
        try AdapterLoader.load(
            directory: TestResources.fixtures.appendingPathComponent("adapters/\(name)"), base: model.configuration)
    }

    @Test("reference path: adapted top-1, 19 of 20 and 32 greedy tokens equal PEFT's; the base still matches")
    func referencePath() async throws {
        let model = try LanguageModel(url: try TestResources.requireSmolLM(), precision: .float32)
        for name in Self.adapters {
            let lora = try adapter(name, for: model)
            for prompt in try AdapterReference.load(name) {
                let expected = Array(prompt.greedyAdapted.prefix(32))
                let (logits, ids) = try await greedy(model, prompt.ids, expected.count, [ActiveAdapter(lora)])
                let top = topIDs(logits, 20)
                #expect(top[0] == prompt.top20Adapted[0], "\(name)/\(prompt.name): top-1")
                let shared = Set(top).intersection(prompt.top20Adapted).count
                #expect(shared >= 19, "\(name)/\(prompt.name): \(shared) of 20")
                #expect(ids == expected, "\(name)/\(prompt.name): greedy continuation")

                let base = Array(prompt.greedyBase.prefix(32))
                let (baseLogits, baseIDs) = try await greedy(model, prompt.ids, base.count, [])
                #expect(topIDs(baseLogits, 1)[0] == prompt.top20Base[0], "\(name)/\(prompt.name): base top-1")
                #expect(baseIDs == base, "\(name)/\(prompt.name): base greedy continuation")
            }
        }
    }

    @Test("fast path: the same top-1 as PEFT and 8 of its top 10")
    func fastPath() throws {
        let model = try LanguageModel(url: try TestResources.requireSmolLM(), precision: .int8)
        for name in Self.adapters {
            let lora = try adapter(name, for: model)
            for prompt in try AdapterReference.load(name) {
                let session = try model.makeSession(capacity: prompt.ids.count, adapters: [ActiveAdapter(lora)])
                let top = topIDs(session.prefill(prompt.ids), 10)
                #expect(top[0] == prompt.top20Adapted[0], "\(name)/\(prompt.name): top-1")
                let shared = Set(top).intersection(prompt.top20Adapted.prefix(10)).count
                #expect(shared >= 8, "\(name)/\(prompt.name): \(shared) of 10")
            }
        }
    }
}
