import Foundation
import GRDB

/// A stored chunk as search results show it.
public struct StoredChunk: Sendable, Equatable {
    public var id: Int64
    public var source: String
    public var headingPath: String
    public var text: String
}

extension CollectionDatabase {
    /// Ids and vectors of the chunks added after `generation` and still present, in id order:
    /// what a FAISS file stamped with `generation` lacks (every chunk for -1).
    public func vectors(addedAfter generation: Int64) throws(VectorIndexError) -> (ids: [Int64], vectors: [[Float]]) {
        try read { db in
            var ids: [Int64] = []
            var vectors: [[Float]] = []
            let rows = try Row.fetchCursor(
                db, sql: "SELECT id, embedding FROM chunks WHERE generation > ? ORDER BY id", arguments: [generation])
            while let row = try rows.next() {
                ids.append(row[0])
                vectors.append(Self.floats(row[1] as Data))
            }
            return (ids, vectors)
        }
    }

    /// Chunk ids deleted after `generation`.
    public func deletedIDs(after generation: Int64) throws(VectorIndexError) -> [Int64] {
        try read { db in
            try Int64.fetchAll(
                db, sql: "SELECT chunkId FROM deletions WHERE generation > ? ORDER BY chunkId", arguments: [generation])
        }
    }

    /// The number of chunks stored.
    public func chunkCount() throws(VectorIndexError) -> Int {
        try read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM chunks") ?? 0 }
    }

    /// The chunks with these ids that still exist, optionally only from sources starting with
    /// `sourcePrefix`, keyed by id.
    public func chunks(ids: [Int64], sourcePrefix: String? = nil) throws(VectorIndexError) -> [Int64: StoredChunk] {
        guard !ids.isEmpty else { return [:] }
        return try read { db in
            var result: [Int64: StoredChunk] = [:]
            let placeholders = Array(repeating: "?", count: ids.count).joined(separator: ",")
            var sql = """
                SELECT chunks.id, documents.source, chunks.headingPath, chunks.text
                FROM chunks JOIN documents ON documents.id = chunks.documentId
                WHERE chunks.id IN (\(placeholders))
                """
            var arguments = StatementArguments(ids)
            if let sourcePrefix {
                sql += " AND substr(documents.source, 1, ?) = ?"
                arguments += [sourcePrefix.count, sourcePrefix]
            }
            for row in try Row.fetchAll(db, sql: sql, arguments: arguments) {
                let chunk = StoredChunk(id: row[0], source: row[1], headingPath: row[2], text: row[3])
                result[chunk.id] = chunk
            }
            return result
        }
    }

    /// Floats from little-endian float32 bytes.
    static func floats(_ data: Data) -> [Float] {
        let count = data.count / MemoryLayout<Float>.size
        return data.withUnsafeBytes { raw in
            (0..<count).map { raw.loadUnaligned(fromByteOffset: $0 * 4, as: Float.self) }
        }
    }
}

extension CollectionDatabase {
    /// Every document's source and content hash.
    public func documentHashes() throws(VectorIndexError) -> [String: String] {
        try read { db in
            var result: [String: String] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT source, contentHash FROM documents") {
                result[row[0]] = row[1]
            }
            return result
        }
    }

    /// The stored embeddings of a document's chunks, keyed by heading path and text, so that an
    /// updated document re-embeds only the chunks whose text changed.
    public func embeddings(source: String) throws(VectorIndexError) -> [ChunkKey: [Float]] {
        try read { db in
            var result: [ChunkKey: [Float]] = [:]
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT chunks.headingPath, chunks.text, chunks.embedding
                    FROM chunks JOIN documents ON documents.id = chunks.documentId WHERE documents.source = ?
                    """, arguments: [source])
            for row in rows {
                result[ChunkKey(headingPath: row[0], text: row[1])] = Self.floats(row[2] as Data)
            }
            return result
        }
    }
}

/// What identifies a chunk's embedding input.
public struct ChunkKey: Hashable, Sendable {
    public var headingPath: String
    public var text: String

    public init(headingPath: String, text: String) {
        self.headingPath = headingPath
        self.text = text
    }
}

/// A stored document as `rag documents list` shows it.
public struct DocumentInfo: Sendable, Equatable, Codable {
    public var source: String
    public var title: String?
    public var chunks: Int
    public var size: Int
    public var contentHash: String
    public var ingestedAt: Date
}

extension CollectionDatabase {
    /// Every document, by source.
    public func documents() throws(VectorIndexError) -> [DocumentInfo] {
        try read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT documents.source, documents.title, COUNT(chunks.id), documents.size, documents.contentHash,
                           documents.ingestedAt
                    FROM documents LEFT JOIN chunks ON chunks.documentId = documents.id
                    GROUP BY documents.id ORDER BY documents.source
                    """
            ).map { row in
                DocumentInfo(
                    source: row[0], title: row[1], chunks: row[2], size: row[3], contentHash: row[4], ingestedAt: row[5]
                )
            }
        }
    }
}
