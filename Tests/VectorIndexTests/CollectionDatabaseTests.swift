import Foundation
import GRDB
import Testing

@testable import VectorIndex

@Suite("Collection database (real SQLite files)")
struct CollectionDatabaseTests {
    let directory: URL
    var path: String { directory.appendingPathComponent("meta.sqlite").path }

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("rag-collection-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    func chunk(_ text: String, heading: String = "", dimension: Int = 4) -> ChunkInput {
        ChunkInput(
            text: text, startOffset: 0, endOffset: text.count, headingPath: heading, tokenCount: text.count / 4 + 1,
            embedding: [Float](repeating: 0.5, count: dimension))
    }

    func open() throws -> CollectionDatabase {
        try CollectionDatabase(path: path, embedder: "all-MiniLM-L6-v2", dimension: 4)
    }

    @Test("a new collection is in WAL mode at generation 0, and each write moves the generation on")
    func walAndGeneration() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = try open()
        #expect(try database.journalMode() == "wal")
        #expect(try database.generation() == 0)
        let ids = try database.replaceDocument(
            DocumentInput(source: "docs/a.md", contentHash: "h1", size: 10), chunks: [chunk("one"), chunk("two")])
        #expect(ids.count == 2 && ids[1] == ids[0] + 1)
        #expect(try database.generation() == 1)
    }

    @Test("keyword search finds two-character Chinese words and English words, and filters by source")
    func keywordSearch() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = try open()
        try database.replaceDocument(
            DocumentInput(source: "manuals/zh/售后服务.md", contentHash: "a", size: 1),
            chunks: [chunk("本产品提供24个月保修，电池保修12个月。", heading: "售后服务 > 保修政策")])
        try database.replaceDocument(
            DocumentInput(source: "manuals/troubleshooting.md", contentHash: "b", size: 1),
            chunks: [
                chunk(
                    "E4 means the side brush is stuck. Remove the brush and clean it.", heading: "E4: Side brush stuck"),
                chunk("The battery lasts about 120 minutes in Quiet mode.", heading: "Battery"),
            ])
        #expect(try database.keywordSearch("保修", limit: 5).map(\.source) == ["manuals/zh/售后服务.md"])
        #expect(try database.keywordSearch("电池", limit: 5).count == 1)
        #expect(try database.keywordSearch("side brush", limit: 5).first?.headingPath == "E4: Side brush stuck")
        #expect(try database.keywordSearch("BATTERY", limit: 5).first?.text.contains("120 minutes") == true)
        #expect(try database.keywordSearch("保修", limit: 5, sourcePrefix: "manuals/trouble").isEmpty)
        #expect(try database.keywordSearch("warranty 冰箱", limit: 5).isEmpty)
        #expect(try database.keywordSearch("\"; DROP TABLE chunks; --", limit: 5).isEmpty)
    }

    @Test("replacing a document removes its old chunks from search; deleting removes them all")
    func replaceAndDelete() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = try open()
        let old = try database.replaceDocument(
            DocumentInput(source: "a.md", contentHash: "1", size: 1), chunks: [chunk("reset the router first")])
        let new = try database.replaceDocument(
            DocumentInput(source: "a.md", contentHash: "2", size: 1), chunks: [chunk("hold the power button")])
        #expect(new[0] > old[0])
        #expect(try database.keywordSearch("router", limit: 5).isEmpty)
        #expect(try database.keywordSearch("power", limit: 5).map(\.chunkID) == new)
        #expect(try database.deleteDocument(source: "a.md") == new)
        #expect(try database.keywordSearch("power", limit: 5).isEmpty)
        #expect(try database.deleteDocument(source: "a.md").isEmpty)
    }

    @Test("opening with another embedder is a clear error naming both")
    func embedderMismatch() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        _ = try open()
        #expect {
            _ = try CollectionDatabase(path: path, embedder: "bge-small", dimension: 384)
        } throws: { error in
            let message = String(describing: error)
            return message.contains("all-MiniLM-L6-v2 (4 dimensions)") && message.contains("bge-small (384 dimensions)")
        }
    }

    @Test("a chunk with the wrong vector length writes nothing")
    func wrongDimension() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = try open()
        #expect(throws: VectorIndexError.dimensionMismatch(expected: 4, found: 3)) {
            try database.replaceDocument(
                DocumentInput(source: "b.md", contentHash: "1", size: 1),
                chunks: [chunk("fine"), chunk("bad", dimension: 3)])
        }
        #expect(try database.generation() == 0)
        #expect(try database.keywordSearch("fine", limit: 5).isEmpty)
    }

    @Test("a query word in a section's own heading outranks the same word in another section's text")
    func headingWeighsMore() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = try open()
        try database.replaceDocument(
            DocumentInput(source: "m.md", contentHash: "1", size: 1),
            chunks: [
                chunk("If the light blinks, see the scheduling section.", heading: "Manual > Indicator light"),
                chunk("Open the app and add a time.", heading: "Manual > Scheduling"),
            ])
        #expect(try database.keywordSearch("scheduling", limit: 5).map(\.headingPath).first == "Manual > Scheduling")
        // The headings above a section are searchable too, with the text's weight.
        #expect(try database.keywordSearch("manual", limit: 5).count == 2)
    }

    @Test("a collection written before the heading column opens with its keyword index rebuilt")
    func migratesTheKeywordIndex() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let queue = try DatabaseQueue(path: path)
        try CollectionSchema.migrator.migrate(
            queue, upTo: "v1: collection, documents, chunks, deletions, keyword index")
        try queue.write { db in
            try db.execute(
                sql: "INSERT INTO collection (id, embedder, dimension, generation, createdAt) VALUES (1, ?, 4, 1, ?)",
                arguments: ["all-MiniLM-L6-v2", Date()])
            try db.execute(
                sql: "INSERT INTO documents (source, contentHash, size, ingestedAt) VALUES ('old.md', 'h', 1, ?)",
                arguments: [Date()])
            try db.execute(
                sql: """
                    INSERT INTO chunks (documentId, ordinal, text, startOffset, endOffset, headingPath, tokenCount,
                                        embedding, generation)
                    VALUES (1, 0, 'Hold the power button.', 0, 22, 'Manual > Restarting', 5, ?, 1)
                    """,
                arguments: [Data(count: 16)])
            try db.execute(
                sql: "INSERT INTO chunksText (rowid, terms) VALUES (1, 'Manual > Restarting Hold the power button.')")
        }
        try queue.close()
        let database = try open()
        #expect(try database.keywordSearch("restarting", limit: 5).map(\.source) == ["old.md"])
        #expect(try database.keywordSearch("power", limit: 5).map(\.chunkID) == [1])
    }
}
