import GRDB

/// Where a chunk sits: its document and its character range in the document's text. Answers cite
/// chunks by these, so that a reader can open the manual at the passage.
public struct ChunkLocation: Sendable, Equatable {
    public var chunkID: Int64
    public var documentID: Int64
    /// The chunk's position among its document's chunks, from 0.
    public var ordinal: Int
    public var startOffset: Int
    public var endOffset: Int
    public var title: String?
}

extension CollectionDatabase {
    /// The locations of the chunks with these ids that still exist, keyed by chunk id.
    public func chunkLocations(ids: [Int64]) throws(VectorIndexError) -> [Int64: ChunkLocation] {
        guard !ids.isEmpty else { return [:] }
        return try read { db in
            let placeholders = Array(repeating: "?", count: ids.count).joined(separator: ",")
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT chunks.id, chunks.documentId, chunks.ordinal, chunks.startOffset, chunks.endOffset,
                           documents.title
                    FROM chunks JOIN documents ON documents.id = chunks.documentId
                    WHERE chunks.id IN (\(placeholders))
                    """, arguments: StatementArguments(ids))
            var result: [Int64: ChunkLocation] = [:]
            for row in rows {
                let location = ChunkLocation(
                    chunkID: row[0], documentID: row[1], ordinal: row[2], startOffset: row[3], endOffset: row[4],
                    title: row[5])
                result[location.chunkID] = location
            }
            return result
        }
    }
}
