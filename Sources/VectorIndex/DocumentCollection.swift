import Foundation

/// A collection on disk: `meta.sqlite` (the source of truth) and the FAISS file derived from it.
///
/// The FAISS file is named after the SQLite generation it reflects, `vectors-<generation>.faiss`;
/// the name is the stamp, so stamp and content change together in one atomic rename. At open the
/// newest readable file is loaded and brought up to date from SQLite (chunks added after its
/// generation are added, chunks deleted after it removed); with no readable file the index is
/// rebuilt from the stored embeddings. A crash at any moment therefore loses nothing committed to
/// SQLite and never leaves a chunk without its vector.
///
/// Flat and IVF indexes remove deleted ids. HNSW cannot (PLATFORM.md): its deleted ids stay in the graph
/// and are dropped at search time, because every hit is looked up in SQLite and a deleted chunk is
/// no longer there; a compaction (`rebuildIndex`) removes them for good.
public final class DocumentCollection: @unchecked Sendable {
    public let directory: URL
    public let database: CollectionDatabase
    /// The layout a built or rebuilt index gets.
    public let policy: IndexPolicy
    private let lock = NSLock()
    private var index: FaissIndex  // guarded by `lock` for replacement; FaissIndex locks itself
    /// Whether the index removes deleted ids itself (Flat, IVF) or they are filtered (HNSW).
    private var removesIDs: Bool
    /// Serialises writers and saving, so that a file stamped with generation G holds exactly the
    /// chunks of generations up to G (a writer commits to SQLite, then updates the index).
    private let writeLock = NSLock()

    /// Opens (creating when new) the collection in `directory` for vectors from `embedder`.
    public init(directory: URL, embedder: String, dimension: Int, policy: IndexPolicy = .automatic)
        throws(VectorIndexError)
    {
        self.directory = directory
        self.policy = policy
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw .io(
                path: directory.path, reason: "cannot create the collection folder: \(error.localizedDescription)")
        }
        database = try CollectionDatabase(
            path: directory.appendingPathComponent("meta.sqlite").path, embedder: embedder, dimension: dimension)
        (index, removesIDs) = try Self.loadIndex(directory: directory, database: database, policy: policy)
    }

    /// Vectors in the FAISS index (deleted HNSW entries included until a rebuild).
    public var indexedCount: Int { currentIndex().count }

    /// Stores a document and its chunks (replacing an earlier version of the same source) in
    /// SQLite, then in the index. Returns the new chunk ids.
    @discardableResult
    public func replaceDocument(_ document: DocumentInput, chunks: [ChunkInput]) throws(VectorIndexError) -> [Int64] {
        writeLock.lock()
        defer { writeLock.unlock() }
        let (removed, ids) = try database.replaceDocumentReturningRemoved(document, chunks: chunks)
        let index = currentIndex()
        if removesIDs, !removed.isEmpty { try index.remove(ids: removed) }
        if !ids.isEmpty { try index.add(chunks.map(\.embedding), ids: ids) }
        return ids
    }

    /// Deletes a document; its chunks can no longer be found. Returns the removed chunk ids.
    @discardableResult
    public func deleteDocument(source: String) throws(VectorIndexError) -> [Int64] {
        writeLock.lock()
        defer { writeLock.unlock() }
        let removed = try database.deleteDocument(source: source)
        if removesIDs, !removed.isEmpty { try currentIndex().remove(ids: removed) }
        return removed
    }

    /// A dense-search result.
    public struct DenseHit: Sendable, Equatable {
        public var chunk: StoredChunk
        /// Inner product with the query (cosine for unit vectors).
        public var score: Float
    }

    /// The `k` chunks nearest to `query` by inner product, optionally only from sources starting
    /// with `sourcePrefix`. Deleted and filtered-out hits are skipped, fetching more from FAISS
    /// as needed.
    public func denseSearch(_ query: [Float], k: Int, sourcePrefix: String? = nil) throws(VectorIndexError)
        -> [DenseHit]
    {
        guard k > 0 else { return [] }
        let index = currentIndex()
        var fetch = max(k * 2, 16)
        while true {
            let matches = try index.search(query, k: fetch)
            let chunks = try database.chunks(ids: matches.map(\.id), sourcePrefix: sourcePrefix)
            let hits = matches.compactMap { match in chunks[match.id].map { DenseHit(chunk: $0, score: match.score) } }
            if hits.count >= k || matches.count < fetch || fetch >= index.count {
                return Array(hits.prefix(k))
            }
            fetch *= 4
        }
    }

    /// Writes the index to `vectors-<generation>.faiss` and removes older files.
    public func saveIndex() throws(VectorIndexError) {
        writeLock.lock()
        defer { writeLock.unlock() }
        try saveIndexLocked()
    }

    private func saveIndexLocked() throws(VectorIndexError) {
        let generation = try database.generation()
        let name = Self.fileName(generation: generation)
        try currentIndex().write(to: directory.appendingPathComponent(name).path)
        for (_, url) in Self.indexFiles(in: directory) where url.lastPathComponent != name {
            try? FileManager.default.removeItem(at: url)
        }
    }

    /// Rebuilds the index from SQLite in the layout the policy gives for its size, dropping
    /// deleted HNSW entries, and saves it. Returns the layout built.
    @discardableResult
    public func rebuildIndex() throws(VectorIndexError) -> IndexLayout {
        writeLock.lock()
        defer { writeLock.unlock() }
        let (fresh, layout) = try Self.buildIndex(database: database, policy: policy)
        lock.withLock {
            index = fresh
            removesIDs = layout != .hnsw
        }
        try saveIndexLocked()
        return layout
    }

    // MARK: - Loading

    private func currentIndex() -> FaissIndex { lock.withLock { index } }

    static func fileName(generation: Int64) -> String { "vectors-\(generation).faiss" }

    /// Index files in the folder with their generations, newest first.
    static func indexFiles(in directory: URL) -> [(Int64, URL)] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.compactMap { name -> (Int64, URL)? in
            guard name.hasPrefix("vectors-"), name.hasSuffix(".faiss"),
                let generation = Int64(name.dropFirst("vectors-".count).dropLast(".faiss".count))
            else { return nil }
            return (generation, directory.appendingPathComponent(name))
        }.sorted { $0.0 > $1.0 }
    }

    private static func loadIndex(directory: URL, database: CollectionDatabase, policy: IndexPolicy)
        throws(VectorIndexError) -> (FaissIndex, Bool)
    {
        let current = try database.generation()
        for (generation, url) in indexFiles(in: directory) where generation <= current {
            guard let index = try? FaissIndex(contentsOf: url.path), index.dimension == database.dimension else {
                continue
            }
            // HNSW refuses any removal, even of no ids: that tells it from Flat and IVF.
            let removes = (try? index.remove(ids: [])) != nil
            let added = try database.vectors(addedAfter: generation)
            if removes { try index.remove(ids: try database.deletedIDs(after: generation)) }
            if !added.ids.isEmpty { try index.add(added.vectors, ids: added.ids) }
            return (index, removes)
        }
        let (index, layout) = try buildIndex(database: database, policy: policy)
        return (index, layout != .hnsw)
    }

    private static func buildIndex(database: CollectionDatabase, policy: IndexPolicy) throws(VectorIndexError)
        -> (FaissIndex, IndexLayout)
    {
        let all = try database.vectors(addedAfter: -1)
        let layout = policy.layout(forCount: all.ids.count)
        let index = try FaissIndex(
            factory: IndexPolicy.factory(layout, count: all.ids.count), dimension: database.dimension)
        if layout == .ivf {
            try index.train(all.vectors)
            let cells = IndexPolicy.cellCount(forCount: all.ids.count)
            try index.setParameter("nprobe", Double(IndexPolicy.probeCount(cells: cells)))
        }
        if !all.ids.isEmpty { try index.add(all.vectors, ids: all.ids) }
        return (index, layout)
    }
}
