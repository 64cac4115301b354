import Foundation
import GRDB
import Testing

@testable import VectorIndex

@Suite("Document collection: SQLite and FAISS together (real files)")
struct DocumentCollectionTests {
    static let dimension = 8
    let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("rag-docs-\(UUID().uuidString)")
    }

    func open(policy: IndexPolicy = .automatic) throws -> DocumentCollection {
        try DocumentCollection(directory: directory, embedder: "test", dimension: Self.dimension, policy: policy)
    }

    /// A unit vector pointing mostly along axis `axis`, a little along the next one.
    func vector(_ axis: Int, tilt: Float = 0.1) -> [Float] {
        var values = [Float](repeating: 0, count: Self.dimension)
        values[axis % Self.dimension] = 1
        values[(axis + 1) % Self.dimension] = tilt
        let norm = values.reduce(0) { $0 + $1 * $1 }.squareRoot()
        return values.map { $0 / norm }
    }

    func document(_ source: String, axes: [Int]) -> (DocumentInput, [ChunkInput]) {
        let chunks = axes.map { axis in
            ChunkInput(
                text: "\(source) axis \(axis)", startOffset: 0, endOffset: 10, headingPath: "H\(axis)", tokenCount: 4,
                embedding: vector(axis))
        }
        return (DocumentInput(source: source, contentHash: source, size: 1), chunks)
    }

    func indexFiles() -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []).filter { $0.hasSuffix(".faiss") }
            .sorted()
    }

    @Test("dense search finds the nearest chunk and honours a source prefix")
    func denseSearch() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let collection = try open()
        let (a, aChunks) = document("guides/a.md", axes: [0, 1])
        let (b, bChunks) = document("faq/b.md", axes: [2, 3])
        try collection.replaceDocument(a, chunks: aChunks)
        try collection.replaceDocument(b, chunks: bChunks)
        #expect(try collection.denseSearch(vector(2), k: 1).first?.chunk.source == "faq/b.md")
        #expect(
            try collection.denseSearch(vector(2), k: 1, sourcePrefix: "guides/").first?.chunk.source == "guides/a.md")
        #expect(try collection.denseSearch(vector(2), k: 10).count == 4)
    }

    @Test("the check finds a consistent collection so, and names what a damaged one lacks")
    func check() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        do {
            let collection = try open()
            let (a, aChunks) = document("a.md", axes: [0, 1, 2])
            let (b, bChunks) = document("b.md", axes: [3])
            try collection.replaceDocument(a, chunks: aChunks)
            try collection.replaceDocument(b, chunks: bChunks)
            try collection.deleteDocument(source: "b.md")
            let check = try collection.check()
            #expect(check == CollectionCheck(documents: 1, chunks: 3, indexedVectors: 3, problems: []))
        }
        // Damage that no crash of ours can cause, made by hand: a keyword row gone.
        let queue = try DatabaseQueue(path: directory.appendingPathComponent("meta.sqlite").path)
        try queue.write { db in
            try db.execute(sql: "DELETE FROM chunksText WHERE rowid = (SELECT MIN(id) FROM chunks)")
        }
        try queue.close()
        let damaged = try open().check()
        #expect(!damaged.consistent)
        #expect(damaged.problems == ["1 chunks are missing from the keyword index"])
    }

    @Test("a saved index is stamped with the generation; changes after it are caught up at open")
    func catchUpAtOpen() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        do {
            let collection = try open()
            let (a, aChunks) = document("a.md", axes: [0])
            try collection.replaceDocument(a, chunks: aChunks)
            try collection.saveIndex()
            #expect(indexFiles() == ["vectors-1.faiss"])
            let (b, bChunks) = document("b.md", axes: [4])
            try collection.replaceDocument(b, chunks: bChunks)
            try collection.deleteDocument(source: "a.md")
            // No save: the process "crashes" here with the file still at generation 1.
        }
        let reopened = try open()
        #expect(reopened.indexedCount == 1)
        #expect(try reopened.database.chunkCount() == 1)
        #expect(try reopened.denseSearch(vector(0), k: 5).map(\.chunk.source) == ["b.md"])
        try reopened.saveIndex()
        #expect(indexFiles() == ["vectors-3.faiss"])
    }

    @Test("a missing or corrupt index file is rebuilt from SQLite")
    func rebuildsCorruptFile() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        do {
            let collection = try open()
            let (a, aChunks) = document("a.md", axes: [0, 5])
            try collection.replaceDocument(a, chunks: aChunks)
            try collection.saveIndex()
        }
        try Data("garbage".utf8).write(to: directory.appendingPathComponent("vectors-1.faiss"))
        let reopened = try open()
        #expect(reopened.indexedCount == 2)
        #expect(try reopened.denseSearch(vector(5), k: 1).first?.chunk.headingPath == "H5")
        try FileManager.default.removeItem(at: directory.appendingPathComponent("vectors-1.faiss"))
        #expect(try open().indexedCount == 2)
    }

    @Test("HNSW keeps deleted ids until a rebuild, but search never returns them")
    func hnswDeletion() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let collection = try open(policy: IndexPolicy(approximateThreshold: 0))
        let (a, aChunks) = document("a.md", axes: [0, 1, 2])
        let (b, bChunks) = document("b.md", axes: [3])
        try collection.replaceDocument(a, chunks: aChunks)
        try collection.replaceDocument(b, chunks: bChunks)
        try collection.rebuildIndex()
        try collection.deleteDocument(source: "a.md")
        #expect(collection.indexedCount == 4)
        #expect(try collection.denseSearch(vector(0), k: 3).map(\.chunk.source) == ["b.md"])
        try collection.rebuildIndex()
        #expect(collection.indexedCount == 1)
    }

    @Test("IVF: trained on the stored vectors, finds them, removes deleted ids, and reopens from its file")
    func ivfLayout() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let collection = try open(policy: IndexPolicy(layout: .ivf))
        func spread(_ seed: Int) -> [Float] {
            let values = (0..<Self.dimension).map { Float(sin(Double(seed * Self.dimension + $0) * 1.7)) }
            let norm = values.reduce(0) { $0 + $1 * $1 }.squareRoot()
            return values.map { $0 / norm }
        }
        func chunks(_ range: Range<Int>) -> [ChunkInput] {
            range.map {
                ChunkInput(
                    text: "c\($0)", startOffset: 0, endOffset: 2, headingPath: "H\($0)", tokenCount: 1,
                    embedding: spread($0))
            }
        }
        try collection.replaceDocument(
            DocumentInput(source: "a.md", contentHash: "a", size: 1), chunks: chunks(0..<400))
        try collection.replaceDocument(
            DocumentInput(source: "b.md", contentHash: "b", size: 1), chunks: chunks(400..<800))
        #expect(try collection.rebuildIndex() == .ivf)
        #expect(try collection.denseSearch(spread(123), k: 1).first?.chunk.headingPath == "H123")
        try collection.deleteDocument(source: "a.md")
        #expect(collection.indexedCount == 400)
        #expect(try collection.denseSearch(spread(123), k: 3).allSatisfy { $0.chunk.source == "b.md" })
        try collection.saveIndex()
        let reopened = try open(policy: IndexPolicy(layout: .ivf))
        #expect(reopened.indexedCount == 400)
        #expect(try reopened.denseSearch(spread(456), k: 1).first?.chunk.headingPath == "H456")
    }

    @Test("the policy picks Flat, HNSW or IVF by size, and IVF needs enough vectors to train")
    func policyLayouts() {
        #expect(IndexPolicy.automatic.layout(forCount: 19_999) == .flat)
        #expect(IndexPolicy.automatic.layout(forCount: 20_000) == .hnsw)
        #expect(IndexPolicy(layout: .flat).layout(forCount: 1_000_000) == .flat)
        #expect(IndexPolicy(layout: .ivf).layout(forCount: 100) == .flat)
        #expect(IndexPolicy(layout: .ivf).layout(forCount: 700) == .ivf)
        #expect(IndexPolicy(layout: .hnsw).layout(forCount: 1) == .hnsw)
    }

    @Test("reopening with another embedder is refused")
    func embedderMismatch() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        _ = try open()
        #expect(throws: VectorIndexError.self) {
            _ = try DocumentCollection(directory: directory, embedder: "other", dimension: Self.dimension)
        }
    }
}

@Suite("Document collection under concurrent use")
struct DocumentCollectionConcurrencyTests {
    @Test("readers searching while a writer replaces and deletes documents see no error")
    func readersDuringWrites() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "rag-concurrent-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let collection = try DocumentCollection(directory: directory, embedder: "test", dimension: 4)
        func vector(_ seed: Int) -> [Float] {
            let values = (0..<4).map { Float(sin(Double(seed * 4 + $0))) }
            let norm = max(values.reduce(0) { $0 + $1 * $1 }.squareRoot(), 1e-6)
            return values.map { $0 / norm }
        }
        func chunk(_ seed: Int) -> ChunkInput {
            ChunkInput(
                text: "manual passage \(seed) battery", startOffset: 0, endOffset: 10, headingPath: "", tokenCount: 3,
                embedding: vector(seed))
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for round in 0..<60 {
                    let source = "doc\(round % 7).md"
                    try collection.replaceDocument(
                        DocumentInput(source: source, contentHash: "\(round)", size: 1),
                        chunks: (0..<3).map { chunk(round * 3 + $0) })
                    if round % 5 == 4 { try collection.deleteDocument(source: "doc\((round + 3) % 7).md") }
                    if round % 20 == 19 { try collection.saveIndex() }
                }
            }
            for reader in 0..<3 {
                group.addTask {
                    for round in 0..<150 {
                        let hits = try collection.denseSearch(vector(reader * 1000 + round), k: 3)
                        #expect(hits.count <= 3)
                        _ = try collection.database.keywordSearch("battery", limit: 3)
                    }
                }
            }
            try await group.waitForAll()
        }
        let stored = try collection.database.chunkCount()
        #expect(collection.indexedCount == stored)
    }
}

@Suite("Index policy")
struct IndexPolicyTests {
    @Test("IVF cells grow as 4·√n in powers of two, each with at least 39 vectors; an eighth are probed")
    func cells() {
        #expect(IndexPolicy.cellCount(forCount: 700) == 16)
        #expect(IndexPolicy.cellCount(forCount: 100_000) == 1024)
        #expect(IndexPolicy.cellCount(forCount: 10_000_000) == 8192)
        #expect(IndexPolicy.probeCount(cells: 16) == 8)
        #expect(IndexPolicy.probeCount(cells: 1024) == 128)
        #expect(IndexPolicy.factory(.ivf, count: 100_000) == "IVF1024,Flat")
    }
}
