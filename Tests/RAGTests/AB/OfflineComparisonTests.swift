import AdapterLoader
import Embedder
import Foundation
import LanguageModel
import TestSupport
import Testing
import VectorIndex

@testable import RAG

/// The offline A/B comparison end to end: a small real collection, the real SmolLM2-135M and the
/// real aurora-qv adapter, two questions and short answers.
@Suite("Offline A/B comparison (real models, FAISS and SQLite)")
struct OfflineComparisonTests {
    static let manuals: [String: String] = [
        "user-manual.md": """
        # Aurora X2 user manual

        ## Battery
        A full charge lasts about 120 minutes in Quiet mode and 90 minutes in Strong mode. Charging takes 4 hours.

        ## Wi-Fi
        The robot connects only to 2.4 GHz Wi-Fi networks; 5 GHz networks are not supported.
        """,
        "warranty.md": """
        # Warranty

        ## Coverage
        The Aurora X2 is covered for 24 months from the day of delivery against manufacturing defects.
        """,
    ]

    static let questions = [
        RetrievalQuestion(
            id: "q1", question: "How long does the battery last in Strong mode?", source: "user-manual.md",
            heading: "Battery", answer: "About 90 minutes in Strong mode."),
        RetrievalQuestion(
            id: "q2", question: "How long is the warranty?", source: "warranty.md", heading: "Coverage",
            answer: "24 months from delivery."),
    ]

    static let general = [
        GeneralQuestion(id: "g1", question: "What is the capital of France?", answer: "Paris"),
        GeneralQuestion(id: "g2", question: "What is 2 + 2?", answer: "4", alternatives: ["four"]),
    ]

    func withAnswerer(_ body: (QuestionAnswerer, LanguageModel) async throws -> Void) async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("rag-ab-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let sources = root.appendingPathComponent("manuals")
        try FileManager.default.createDirectory(at: sources, withIntermediateDirectories: true)
        for (name, text) in Self.manuals {
            try text.write(to: sources.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        let embedder = try SentenceEmbedder(folder: try TestResources.requireMiniLM())
        let collection = try DocumentCollection(
            directory: root.appendingPathComponent("collection"), embedder: embedder.name,
            dimension: embedder.dimension)
        let files = Self.manuals.keys.sorted().map {
            SourceFile(url: sources.appendingPathComponent($0), source: "manuals/" + $0)
        }
        _ = try Ingestor(embedder: embedder, collection: collection).ingest(files: files)
        let model = try LanguageModel(url: try TestResources.requireSmolLM())
        // No waiting room, as `rag ab` runs it: each answer must free the model before the next asks.
        let answerer = QuestionAnswerer(
            retriever: Retriever(embedder: embedder, collection: collection), model: model,
            queue: AdmissionQueue(slots: 1, maxWaiting: 0))
        try await body(answerer, model)
    }

    @Test("both arms answer every question from the same passages, and the report compares them")
    func endToEnd() async throws {
        try await withAnswerer { answerer, model in
            let folder = TestResources.fixtures.appendingPathComponent("adapters/aurora-qv")
            let adapter = try AdapterLoader.load(directory: folder, base: model.configuration, name: "aurora-qv")
            let comparison = OfflineComparison(
                answerer: answerer, adapters: [ComparisonArm(name: "aurora-qv", adapters: [ActiveAdapter(adapter)])],
                k: 2, generation: GenerationOptions(maxTokens: 12), generalGeneration: GenerationOptions(maxTokens: 8))
            var done: [Int] = []
            let compared = try await comparison.answer(Self.questions) { done.append($0) }
            #expect(done == [1, 2])
            let general = try await comparison.answer(general: Self.general)

            for (question, item) in zip(Self.questions, compared) {
                #expect(item.answers.map(\.arm) == ["base", "aurora-qv"])
                #expect(item.covered)
                // Retrieved once: the passages are those a fresh search finds, and every arm cites only them.
                let retrieved = try await answerer.retrieve(AnswerRequest(question: question.question, k: 2))
                #expect(item.passages.map(\.chunkID) == retrieved.results.map(\.chunkID))
                #expect(item.passages.contains { $0.source.hasSuffix(question.source) })
                for answer in item.answers {
                    #expect(!answer.outcome.answer.isEmpty)
                    #expect(answer.completionTokens <= 12)
                    let numbers = Set(item.passages.map(\.number))
                    #expect(answer.citations.allSatisfy { numbers.contains($0.number) })
                    for value in [
                        answer.outcome.metrics.rougeL, answer.outcome.metrics.tokenF1, answer.outcome.metrics.bleu,
                        answer.outcome.metrics.groundedness,
                    ] {
                        #expect((0...1).contains(value))
                    }
                }
            }
            #expect(general.map { $0.answers.map(\.arm) } == [["base", "aurora-qv"], ["base", "aurora-qv"]])

            let settings = ComparisonSettings(
                questionsFile: "test", model: model.name, embedder: "all-MiniLM-L6-v2", collection: "test",
                adapters: [.init(name: "aurora-qv", path: folder.path)], k: 2, maxTokens: 12, temperature: 0, seed: 0,
                generalFile: "test", generalMaxTokens: 8, threads: model.threadCount)
            let report = try ComparisonReport(
                settings: settings, arms: comparison.arms.map(\.name), questions: compared, general: general)
            #expect(report.arms.map(\.arm) == ["base", "aurora-qv"])
            #expect(report.comparisons.first?.verdicts.count == ComparisonMetric.allCases.count)
            #expect(report.general?.tallies.first?.questions == 2)
            let html = report.html()
            #expect(html.contains("<svg class=\"chart\" data-metric=\"rougeL\""))
            #expect(html.contains("data-verdict=\"\(report.comparisons[0].overall.rawValue)\""))
        }
    }

    @Test("an answer prepared from given passages is built from them and from no search")
    func preparedFromGivenPassages() async throws {
        try await withAnswerer { answerer, _ in
            let warranty = try await answerer.retrieve(AnswerRequest(question: "How long is the warranty?", k: 1))
            let request = AnswerRequest(
                question: "How long does the battery last?", k: 1, generation: GenerationOptions(maxTokens: 4))
            let prepared = try await answerer.prepare(request, retrieved: warranty)
            #expect(prepared.prompt.passages.map(\.chunkID) == warranty.results.map(\.chunkID))
            let answer = try await prepared.answer()
            #expect(answer.passages.map(\.source) == ["manuals/warranty.md"])
        }
    }

    @Test("an answer that says nothing quotes the best passage, cited, streamed as shown, and says so")
    func silentAnswerQuotesPassage() async throws {
        try await withAnswerer { answerer, _ in
            // Every letter and digit stops the generation, so whatever the model writes says nothing.
            let stops = (Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")).map(String.init)
            let request = AnswerRequest(
                question: "How long is the warranty?", k: 1, generation: GenerationOptions(maxTokens: 16, stop: stops))
            let prepared = try await answerer.prepare(request)
            var streamed = ""
            var finished: Answer?
            for try await event in prepared.events() {
                switch event {
                case .passages: break
                case .text(let piece): streamed += piece
                case .finished(let answer): finished = answer
                }
            }
            let answer = try #require(finished)
            #expect(answer.quotesPassage)
            #expect(answer.text == PassageExtract.answer(from: answer.passages))
            #expect(streamed.trimmingCharacters(in: .whitespacesAndNewlines) == answer.text)
            #expect(answer.citations.map(\.number) == [1])
        }
    }
}
