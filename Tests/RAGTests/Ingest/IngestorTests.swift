import Embedder
import Foundation
import RAG
import Testing
import VectorIndex

/// Incremental ingest with the real embedder, real SQLite and real FAISS files.
@Suite("Ingestor")
struct IngestorTests {
    let root: URL
    var docs: URL { root.appendingPathComponent("docs") }

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("rag-ingest-\(UUID().uuidString)")
        try FileManager.default.createDirectory(
            at: root.appendingPathComponent("docs/sub"), withIntermediateDirectories: true)
    }

    func write(_ relative: String, _ text: String) throws {
        try Data(text.utf8).write(to: docs.appendingPathComponent(relative))
    }

    func ingestor() throws -> Ingestor {
        let embedder = try SentenceEmbedder(folder: try RetrieverTests.modelFolder())
        let collection = try DocumentCollection(
            directory: root.appendingPathComponent("collection"), embedder: embedder.name, dimension: embedder.dimension
        )
        return Ingestor(embedder: embedder, collection: collection)
    }

    @Test("a second run embeds nothing; a change re-embeds only changed chunks; prune removes gone files")
    func incremental() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        try write(
            "guide.md", "# Guide\n\n## Charging\n\nPlace the robot on the dock.\n\n## Wi-Fi\n\nUse a 2.4 GHz network.\n"
        )
        try write(
            "sub/page.html",
            "<html><head><title>Help</title><script>x()</script></head><body><h1>Help</h1><p>Call us.</p></body></html>"
        )
        try write("notes.bin", "\u{0}\u{1}binary")
        let first = try ingestor().ingest(paths: [docs.path])
        #expect(first.added == 2 && first.skipped == 1 && first.chunks == 3 && first.embedded == 3)
        #expect(first.skippedFiles.first?.path.hasSuffix("notes.bin") == true)

        let second = try ingestor().ingest(paths: [docs.path])
        #expect(second.unchanged == 2 && second.added == 0 && second.embedded == 0)

        try write(
            "guide.md",
            "# Guide\n\n## Charging\n\nPlace the robot on the dock.\n\n## Wi-Fi\n\nUse a 5 GHz network? No: 2.4 GHz.\n")
        let third = try ingestor().ingest(paths: [docs.path])
        #expect(third.updated == 1 && third.chunks == 2 && third.embedded == 1)

        try FileManager.default.removeItem(at: docs.appendingPathComponent("sub/page.html"))
        let dry = try ingestor().ingest(paths: [docs.path], prune: true, dryRun: true)
        #expect(dry.removed == 1)
        let pruned = try ingestor().ingest(paths: [docs.path], prune: true)
        #expect(pruned.removed == 1)
        let collection = try ingestor().collection
        #expect(try collection.database.chunkCount() == 2)
        #expect(collection.indexedCount == 2)
    }

    @Test("a dry run on a new folder counts what it would add and writes nothing")
    func dryRun() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        try write("a.txt", "Plain text manual.")
        let summary = try ingestor().ingest(paths: [docs.path], dryRun: true)
        #expect(summary.added == 1 && summary.chunks == 1 && summary.embedded == 0)
        #expect(try ingestor().collection.database.chunkCount() == 0)
    }

    @Test("a missing path is skipped and named, not fatal")
    func missingPath() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        let summary = try ingestor().ingest(paths: [root.appendingPathComponent("nowhere").path])
        #expect(summary.skipped == 1 && summary.skippedFiles.first?.reason == "no such file or folder")
    }
}
