import Foundation
import Synchronization
import Testing

@testable import RAG

@Suite("Experiment log")
struct ExperimentLogTests {
    @Test("services opening a new log at the same moment all get it, and see each other's answers")
    func concurrentCreation() throws {
        for _ in 0..<10 {
            try openTogether()
        }
    }

    func openTogether() throws {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("rag-experiments-\(UUID().uuidString)/experiments.sqlite").path
        let opened = Mutex<[Result<ExperimentLog, Error>]>([])
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            let result = Result { try ExperimentLog(path: path) }
            opened.withLock { $0.append(result) }
        }
        let logs = try opened.withLock { $0 }.map { try $0.get() }
        #expect(logs.count == 8)
        for (index, log) in logs.enumerated() {
            try log.record(
                ExperimentLog.Entry(
                    id: "answer-\(index)", adapter: index.isMultiple(of: 2) ? nil : "aurora-qv", user: "u\(index)",
                    turn: 1, question: "q", answer: "a", latencyMilliseconds: 10))
        }
        let records = try logs[0].armRecords()
        #expect(records.values.map(\.latencies.count).reduce(0, +) == 8)
    }
}
