import AdapterLoader
import Dispatch
import Foundation
import LanguageModel
import TestSupport
import Testing

@Suite("Adapters in concurrent generations")
struct ConcurrentAdapterTests {
    @Test("generations with different adapters, and mixed adapters, running at once equal the same ones run alone")
    func concurrent() throws {
        let model = try LanguageModel(url: try TestResources.requireSmolLM())
        let folder = TestResources.fixtures.appendingPathComponent("adapters")
        let qv = try AdapterLoader.load(
            directory: folder.appendingPathComponent("aurora-qv"), base: model.configuration)
        let all = try AdapterLoader.load(
            directory: folder.appendingPathComponent("aurora-all"), base: model.configuration)
        let prompt = model.encode(
            try model.renderChat([.init(role: "user", content: "My Aurora X2 arrived damaged. What should I do?")]))
        let arms: [[ActiveAdapter]] = [
            [], [ActiveAdapter(qv)], [ActiveAdapter(all)],
            [ActiveAdapter(qv, weight: 0.5), ActiveAdapter(all, weight: 0.5)],
        ]
        @Sendable func run(_ adapters: [ActiveAdapter]) throws -> [Int] {
            try model.generate(
                promptTokens: prompt, options: GenerationOptions(maxTokens: 12, adapters: adapters), emit: { _ in }
            ).ids
        }
        let alone = try arms.map(run)
        // The adapters do change the answer (greedy, so two arms may still coincide).
        #expect(alone[1] != alone[0] && alone[2] != alone[0])
        let together = Locked(Array(repeating: [Int](), count: arms.count))
        DispatchQueue.concurrentPerform(iterations: arms.count * 2) { index in
            let arm = index % arms.count
            if let ids = try? run(arms[arm]) { together.update { $0[arm] = ids } }
        }
        #expect(together.value == alone)
    }
}

/// A value shared between threads.
final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value
    init(_ value: Value) { stored = value }
    var value: Value { lock.withLock { stored } }
    func update(_ body: (inout Value) -> Void) { lock.withLock { body(&stored) } }
}
