import Foundation
import GRDB

/// A document as the ingest pipeline hands it over.
public struct DocumentInput: Sendable {
    public var source: String
    public var title: String?
    public var contentHash: String
    public var size: Int
    public var modifiedAt: Date?
    public var metadataJSON: String

    public init(
        source: String, title: String? = nil, contentHash: String, size: Int, modifiedAt: Date? = nil,
        metadataJSON: String = "{}"
    ) {
        self.source = source
        self.title = title
        self.contentHash = contentHash
        self.size = size
        self.modifiedAt = modifiedAt
        self.metadataJSON = metadataJSON
    }
}

/// A chunk of a document with its embedding.
public struct ChunkInput: Sendable {
    public var text: String
    public var startOffset: Int
    public var endOffset: Int
    public var headingPath: String
    public var tokenCount: Int
    public var embedding: [Float]

    public init(
        text: String, startOffset: Int, endOffset: Int, headingPath: String, tokenCount: Int, embedding: [Float]
    ) {
        self.text = text
        self.startOffset = startOffset
        self.endOffset = endOffset
        self.headingPath = headingPath
        self.tokenCount = tokenCount
        self.embedding = embedding
    }
}

/// One keyword-search result.
public struct KeywordHit: Sendable, Equatable {
    public var chunkID: Int64
    public var source: String
    public var headingPath: String
    public var text: String
    /// FTS5's bm25, negated so that higher is better.
    public var score: Double
}

/// A collection's SQLite database (`meta.sqlite`) in WAL mode: documents, chunks with their
/// embeddings, and the keyword index. Reads run concurrently; writes are serialised by SQLite.
public final class CollectionDatabase: Sendable {
    public let path: String
    /// The embedder the collection was built with, and its vector length.
    public let embedder: String
    public let dimension: Int
    private let pool: DatabasePool

    /// Opens (creating when new) the database at `path` for vectors from `embedder`.
    /// - Throws: `.embedderMismatch` when the collection was built with another embedder or
    ///   dimension; `.database` for anything SQLite refuses.
    public init(path: String, embedder: String, dimension: Int) throws(VectorIndexError) {
        self.path = path
        self.embedder = embedder
        self.dimension = dimension
        do {
            var configuration = Configuration()
            configuration.foreignKeysEnabled = true
            pool = try DatabasePool(path: path, configuration: configuration)
            try CollectionSchema.migrator.migrate(pool)
            try pool.write { db in
                if let row = try Row.fetchOne(db, sql: "SELECT embedder, dimension FROM collection WHERE id = 1") {
                    let storedEmbedder: String = row["embedder"]
                    let storedDimension: Int = row["dimension"]
                    if storedEmbedder != embedder || storedDimension != dimension {
                        throw VectorIndexError.embedderMismatch(
                            path: path, stored: "\(storedEmbedder) (\(storedDimension) dimensions)",
                            requested: "\(embedder) (\(dimension) dimensions)")
                    }
                } else {
                    try db.execute(
                        sql:
                            "INSERT INTO collection (id, embedder, dimension, generation, createdAt) VALUES (1, ?, ?, 0, ?)",
                        arguments: [embedder, dimension, Date()])
                }
            }
        } catch let error as VectorIndexError {
            throw error
        } catch {
            throw .database(path: path, message: "\(error)")
        }
    }

    /// The journal mode SQLite reports ("wal").
    public func journalMode() throws(VectorIndexError) -> String {
        try read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? "" }
    }

    /// The number of committed writes so far.
    public func generation() throws(VectorIndexError) -> Int64 {
        try read { db in try Int64.fetchOne(db, sql: "SELECT generation FROM collection WHERE id = 1") ?? 0 }
    }

    /// Stores `document` with `chunks` in one transaction, replacing any earlier version of the
    /// same source (its chunks are deleted and recorded as deletions). Returns the new chunk ids.
    @discardableResult
    public func replaceDocument(_ document: DocumentInput, chunks: [ChunkInput]) throws(VectorIndexError) -> [Int64] {
        try replaceDocumentReturningRemoved(document, chunks: chunks).added
    }

    /// `replaceDocument`, also returning the ids of the chunks it replaced.
    public func replaceDocumentReturningRemoved(_ document: DocumentInput, chunks: [ChunkInput])
        throws(VectorIndexError) -> (removed: [Int64], added: [Int64])
    {
        for chunk in chunks where chunk.embedding.count != dimension {
            throw .dimensionMismatch(expected: dimension, found: chunk.embedding.count)
        }
        return try write { db in
            let generation = try Self.nextGeneration(db)
            let removed = try Self.deleteDocument(db, source: document.source, generation: generation)
            try db.execute(
                sql: """
                    INSERT INTO documents (source, title, contentHash, size, modifiedAt, ingestedAt, metadata)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    document.source, document.title, document.contentHash, document.size, document.modifiedAt, Date(),
                    document.metadataJSON,
                ])
            let documentID = db.lastInsertedRowID
            var ids: [Int64] = []
            for (ordinal, chunk) in chunks.enumerated() {
                try db.execute(
                    sql: """
                        INSERT INTO chunks (documentId, ordinal, text, startOffset, endOffset, headingPath, tokenCount,
                                            embedding, generation)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        documentID, ordinal, chunk.text, chunk.startOffset, chunk.endOffset, chunk.headingPath,
                        chunk.tokenCount, Self.blob(chunk.embedding), generation,
                    ])
                let chunkID = db.lastInsertedRowID
                try CollectionSchema.insertKeywordRow(
                    db, chunkID: chunkID, headingPath: chunk.headingPath, text: chunk.text)
                ids.append(chunkID)
            }
            return (removed, ids)
        }
    }

    /// Deletes the document with this source and its chunks; returns the removed chunk ids.
    @discardableResult
    public func deleteDocument(source: String) throws(VectorIndexError) -> [Int64] {
        try write { db in
            let generation = try Self.nextGeneration(db)
            return try Self.deleteDocument(db, source: source, generation: generation)
        }
    }

    /// Chunks whose text (or heading path) contains the query's words, best BM25 first.
    /// - Parameter sourcePrefix: only documents whose source starts with it.
    public func keywordSearch(_ query: String, limit: Int, sourcePrefix: String? = nil) throws(VectorIndexError)
        -> [KeywordHit]
    {
        guard limit > 0, let expression = KeywordAnalyzer.matchExpression(query) else { return [] }
        return try read { db in
            var sql = """
                SELECT chunks.id, documents.source, chunks.headingPath, chunks.text, bm25(chunksText, ?, ?) AS rank
                FROM chunksText
                JOIN chunks ON chunks.id = chunksText.rowid
                JOIN documents ON documents.id = chunks.documentId
                WHERE chunksText MATCH ?
                """
            var arguments: StatementArguments = [
                CollectionSchema.headingWeight, CollectionSchema.bodyWeight, expression,
            ]
            if let sourcePrefix {
                sql += " AND substr(documents.source, 1, ?) = ?"
                arguments += [sourcePrefix.count, sourcePrefix]
            }
            sql += " ORDER BY rank LIMIT ?"
            arguments += [limit]
            return try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
                KeywordHit(
                    chunkID: row[0], source: row[1], headingPath: row[2], text: row[3], score: -(row[4] as Double))
            }
        }
    }

    // MARK: - Internals

    private static func nextGeneration(_ db: Database) throws -> Int64 {
        try db.execute(sql: "UPDATE collection SET generation = generation + 1 WHERE id = 1")
        return try Int64.fetchOne(db, sql: "SELECT generation FROM collection WHERE id = 1") ?? 0
    }

    @discardableResult
    private static func deleteDocument(_ db: Database, source: String, generation: Int64) throws -> [Int64] {
        let ids = try Int64.fetchAll(
            db, sql: "SELECT chunks.id FROM chunks JOIN documents ON documents.id = chunks.documentId WHERE source = ?",
            arguments: [source])
        for id in ids {
            try db.execute(sql: "DELETE FROM chunksText WHERE rowid = ?", arguments: [id])
            try db.execute(
                sql: "INSERT OR REPLACE INTO deletions (chunkId, generation) VALUES (?, ?)",
                arguments: [id, generation])
        }
        try db.execute(sql: "DELETE FROM documents WHERE source = ?", arguments: [source])
        return ids
    }

    /// Little-endian float32 bytes, the layout FAISS and the embedder use.
    static func blob(_ vector: [Float]) -> Data {
        vector.withUnsafeBufferPointer { Data(buffer: $0) }
    }

    func read<T>(_ body: (Database) throws -> T) throws(VectorIndexError) -> T {
        do { return try pool.read(body) } catch { throw .database(path: path, message: "\(error)") }
    }

    private func write<T>(_ body: (Database) throws -> T) throws(VectorIndexError) -> T {
        do { return try pool.write(body) } catch let error as VectorIndexError { throw error } catch let error
            as DatabaseError where error.resultCode == .SQLITE_FULL
        {
            throw .diskFull(path: path)
        } catch {
            throw .database(path: path, message: "\(error)")
        }
    }
}
