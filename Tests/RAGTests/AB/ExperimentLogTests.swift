import Foundation
import GRDB
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

    @Test("answers that quote the best passage are counted per arm")
    func quotingPassage() throws {
        let log = try ExperimentLog(path: Self.temporaryLogPath())
        for (index, quotes) in [false, true, true, false, true].enumerated() {
            try log.record(
                ExperimentLog.Entry(
                    id: "answer-\(index)", adapter: index < 3 ? nil : "aurora-qv", user: nil, turn: 1, question: "q",
                    answer: "a", latencyMilliseconds: 10, quotesPassage: quotes))
        }
        let records = try log.armRecords()
        #expect(records["base"]?.quotingPassage == 2)
        #expect(records["base"]?.latencies.count == 3)
        #expect(records["aurora-qv"]?.quotingPassage == 1)
    }

    @Test(
        "a log written before answers recorded passage quotes opens, keeps its answers and counts them as the model's")
    func migratesFirstVersion() throws {
        let path = Self.temporaryLogPath()
        try FileManager.default.createDirectory(
            at: URL(fileURLWithPath: path).deletingLastPathComponent(), withIntermediateDirectories: true)
        // The first version's schema and migration record, as a service of that version left them.
        let old = try DatabaseQueue(path: path)
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: answers and feedback") { db in
            try db.execute(
                sql: """
                    CREATE TABLE answers (id TEXT PRIMARY KEY, createdAt DATETIME NOT NULL, arm TEXT NOT NULL,
                        user TEXT, turn INTEGER NOT NULL, question TEXT NOT NULL, answer TEXT NOT NULL,
                        latencyMs DOUBLE NOT NULL);
                    CREATE TABLE feedback (id INTEGER PRIMARY KEY AUTOINCREMENT,
                        answerId TEXT NOT NULL REFERENCES answers(id) ON DELETE CASCADE,
                        createdAt DATETIME NOT NULL, thumbsUp BOOLEAN NOT NULL, resolved BOOLEAN, comment TEXT);
                    INSERT INTO answers VALUES ('old', '2026-11-01 10:00:00', 'base', 'u', 1, 'q', 'a', 12.5);
                    INSERT INTO feedback (answerId, createdAt, thumbsUp, resolved) VALUES ('old', '2026-11-01 10:01:00', 1, 1);
                    """)
        }
        try migrator.migrate(old)
        try old.close()

        let log = try ExperimentLog(path: path)
        try log.record(
            ExperimentLog.Entry(
                id: "new", adapter: nil, user: "u", turn: 2, question: "q", answer: "a", latencyMilliseconds: 20,
                quotesPassage: true))
        let base = try #require(try log.armRecords()["base"])
        #expect(base.latencies.sorted() == [12.5, 20])
        #expect(base.quotingPassage == 1)
        #expect(base.ratings == [true])
        #expect(base.resolutions == [true])
    }

    static func temporaryLogPath() -> String {
        FileManager.default.temporaryDirectory
            .appendingPathComponent("rag-experiments-\(UUID().uuidString)/experiments.sqlite").path
    }
}
