import Embedder
import Foundation
import RAG
import Testing
import VectorIndex

/// Retrieval over a small real collection with the real default embedder.
@Suite("Retriever (real embedder, FAISS and SQLite)")
struct RetrieverTests {
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func modelFolder() throws -> URL {
        let models =
            ProcessInfo.processInfo.environment["RAG_MODELS"].map { URL(fileURLWithPath: $0) }
            ?? repositoryRoot.appendingPathComponent("models")
        let folder = models.appendingPathComponent("all-MiniLM-L6-v2")
        guard FileManager.default.fileExists(atPath: folder.appendingPathComponent("model.safetensors").path) else {
            throw Missing(description: "\(folder.path) is missing: run `make models`")
        }
        return folder
    }

    struct Missing: Error, CustomStringConvertible { let description: String }

    static let passages: [(source: String, heading: String, text: String)] = [
        (
            "manual/battery.md", "Battery",
            "A full charge lasts about 120 minutes in Quiet mode and 90 minutes in Strong mode."
        ),
        (
            "manual/reset.md", "Factory reset",
            "Hold the Home and Spot buttons together for 10 seconds until the light flashes."
        ),
        ("manual/wifi.md", "Wi-Fi", "The robot connects only to 2.4 GHz networks; 5 GHz networks are not supported."),
        ("zh/售后服务.md", "售后服务 > 保修", "本产品整机保修24个月，电池保修12个月。"),
        ("other/purifier.md", "Filter", "Replace the air purifier's HEPA filter every six months."),
    ]

    func withRetriever(_ body: (Retriever) throws -> Void) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "rag-retriever-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let embedder = try SentenceEmbedder(folder: try Self.modelFolder())
        let collection = try DocumentCollection(
            directory: directory, embedder: embedder.name, dimension: embedder.dimension)
        let vectors = embedder.embed(Self.passages.map { $0.heading + "\n" + $0.text })
        for (passage, vector) in zip(Self.passages, vectors) {
            try collection.replaceDocument(
                DocumentInput(source: passage.source, contentHash: passage.source, size: passage.text.utf8.count),
                chunks: [
                    ChunkInput(
                        text: passage.text, startOffset: 0, endOffset: passage.text.count, headingPath: passage.heading,
                        tokenCount: vector.tokenCount, embedding: vector.vector)
                ])
        }
        try body(Retriever(embedder: embedder, collection: collection))
    }

    @Test("dense search answers a paraphrased question")
    func denseParaphrase() throws {
        try withRetriever { retriever in
            let results = try retriever.search("how long will it run before it needs charging?", k: 1, mode: .dense)
            #expect(results.first?.source == "manual/battery.md")
            #expect(results.first?.denseScore != nil)
        }
    }

    @Test("keyword search finds a two-character Chinese word")
    func keywordChinese() throws {
        try withRetriever { retriever in
            let results = try retriever.search("保修多久", k: 3, mode: .keyword)
            #expect(results.first?.source == "zh/售后服务.md")
        }
    }

    @Test("hybrid search puts the passage both methods agree on first, and filters by source")
    func hybrid() throws {
        try withRetriever { retriever in
            let results = try retriever.search("factory reset buttons", k: 3)
            #expect(results.first?.source == "manual/reset.md")
            #expect(results.first?.denseScore != nil && results.first?.keywordScore != nil)
            #expect(results.count == 3)
            let filtered = try retriever.search("filter", k: 5, sourcePrefix: "manual/")
            #expect(filtered.allSatisfy { $0.source.hasPrefix("manual/") })
        }
    }
}
