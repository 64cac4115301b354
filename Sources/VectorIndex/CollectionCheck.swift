import Foundation
import GRDB

/// What a collection holds and whether its parts agree: SQLite's own integrity check, every
/// chunk with a whole embedding and a keyword row, and the vector index holding every chunk.
/// A crash or a full disk must leave a collection that passes.
public struct CollectionCheck: Sendable, Equatable, Codable {
    public var documents: Int
    public var chunks: Int
    public var indexedVectors: Int
    /// Each disagreement found, in words; empty when the collection is consistent.
    public var problems: [String]

    public var consistent: Bool { problems.isEmpty }
}

extension CollectionDatabase {
    /// Counts and problems of the SQLite side.
    func check() throws(VectorIndexError) -> (documents: Int, chunks: Int, problems: [String]) {
        let vectorBytes = dimension * MemoryLayout<Float>.size
        return try read { db in
            var problems: [String] = []
            let integrity = try String.fetchAll(db, sql: "PRAGMA integrity_check")
            if integrity != ["ok"] { problems += integrity.map { "SQLite integrity: \($0)" } }
            let orphans = try Row.fetchAll(db, sql: "PRAGMA foreign_key_check")
            if !orphans.isEmpty { problems.append("\(orphans.count) rows point at rows that do not exist") }
            let badEmbeddings =
                try Int.fetchOne(
                    db, sql: "SELECT COUNT(*) FROM chunks WHERE length(embedding) != ?", arguments: [vectorBytes]) ?? 0
            if badEmbeddings > 0 { problems.append("\(badEmbeddings) chunks have an embedding of the wrong size") }
            let unindexed =
                try Int.fetchOne(
                    db, sql: "SELECT COUNT(*) FROM chunks WHERE id NOT IN (SELECT rowid FROM chunksText)") ?? 0
            if unindexed > 0 { problems.append("\(unindexed) chunks are missing from the keyword index") }
            let strayKeywords =
                try Int.fetchOne(
                    db, sql: "SELECT COUNT(*) FROM chunksText WHERE rowid NOT IN (SELECT id FROM chunks)") ?? 0
            if strayKeywords > 0 { problems.append("\(strayKeywords) keyword rows belong to no chunk") }
            let documents = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM documents") ?? 0
            let chunks = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM chunks") ?? 0
            return (documents, chunks, problems)
        }
    }
}

extension DocumentCollection {
    /// Checks the collection as it is open now (the index brought up to date from SQLite at open).
    public func check() throws(VectorIndexError) -> CollectionCheck {
        let stored = try database.check()
        let indexed = indexedCount
        var problems = stored.problems
        // HNSW keeps deleted ids until a rebuild, so it may hold more; never fewer.
        if indexed < stored.chunks {
            problems.append("the vector index holds \(indexed) vectors for \(stored.chunks) chunks")
        }
        return CollectionCheck(
            documents: stored.documents, chunks: stored.chunks, indexedVectors: indexed, problems: problems)
    }
}
