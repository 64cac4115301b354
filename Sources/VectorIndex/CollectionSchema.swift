import GRDB

/// The tables of a collection's `meta.sqlite`, as named, append-only migrations.
///
/// SQLite is the source of truth: `chunks.embedding` keeps every vector, so the FAISS file can
/// always be rebuilt from it. `generation` counts committed writes; each chunk records the one
/// that added it and `deletions` the one that removed an id, so a FAISS file stamped with an older
/// generation can be brought up to date instead of rebuilt.
enum CollectionSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: collection, documents, chunks, deletions, keyword index") { db in
            try db.create(table: "collection") { table in
                table.primaryKey("id", .integer).check { $0 == 1 }
                table.column("embedder", .text).notNull()
                table.column("dimension", .integer).notNull()
                table.column("generation", .integer).notNull().defaults(to: 0)
                table.column("createdAt", .datetime).notNull()
            }
            try db.create(table: "documents") { table in
                table.autoIncrementedPrimaryKey("id")
                table.column("source", .text).notNull().unique()
                table.column("title", .text)
                table.column("contentHash", .text).notNull()
                table.column("size", .integer).notNull()
                table.column("modifiedAt", .datetime)
                table.column("ingestedAt", .datetime).notNull()
                table.column("metadata", .text).notNull().defaults(to: "{}")
            }
            try db.create(table: "chunks") { table in
                // The id is the FAISS id; AUTOINCREMENT never reuses one, so a deleted chunk's id can
                // never come back from a stale index as another chunk.
                table.autoIncrementedPrimaryKey("id")
                table.belongsTo("document", inTable: "documents", onDelete: .cascade).notNull()
                table.column("ordinal", .integer).notNull()
                table.column("text", .text).notNull()
                table.column("startOffset", .integer).notNull()
                table.column("endOffset", .integer).notNull()
                table.column("headingPath", .text).notNull().defaults(to: "")
                table.column("tokenCount", .integer).notNull()
                table.column("embedding", .blob).notNull()
                table.column("generation", .integer).notNull().indexed()
            }
            try db.create(table: "deletions") { table in
                table.primaryKey("chunkId", .integer)
                table.column("generation", .integer).notNull().indexed()
            }
            // Holds the analyzed text (KeywordAnalyzer.indexText), rowid = chunk id; replaced in v2.
            try db.create(virtualTable: "chunksText", using: FTS5()) { table in
                table.tokenizer = .unicode61(diacritics: .remove)
                table.column("terms")
            }
        }
        migrator.registerMigration("v2: keyword index with the section heading in its own column") { db in
            try db.drop(table: "chunksText")
            try createKeywordIndex(db)
            let rows = try Row.fetchCursor(db, sql: "SELECT id, headingPath, text FROM chunks")
            while let row = try rows.next() {
                try insertKeywordRow(db, chunkID: row[0], headingPath: row[1], text: row[2])
            }
        }
        return migrator
    }

    /// BM25 weights of the keyword columns: a query word in the section's own heading counts twice
    /// as much as one in its text (on corpora/aurora-x2, keyword hit@1 rose from 0.467 to 0.505).
    static let headingWeight = 2.0
    static let bodyWeight = 1.0

    /// The keyword index: the analyzed text (KeywordAnalyzer.indexText) of a chunk's own heading,
    /// and of the headings above it followed by its text; rowid = chunk id.
    static func createKeywordIndex(_ db: Database) throws {
        try db.create(virtualTable: "chunksText", using: FTS5()) { table in
            table.tokenizer = .unicode61(diacritics: .remove)
            table.column("heading")
            table.column("body")
        }
    }

    /// Indexes one chunk for keyword search.
    static func insertKeywordRow(_ db: Database, chunkID: Int64, headingPath: String, text: String) throws {
        var headings = headingPath.isEmpty ? [] : headingPath.components(separatedBy: " > ")
        let heading = headings.popLast() ?? ""
        try db.execute(
            sql: "INSERT INTO chunksText (rowid, heading, body) VALUES (?, ?, ?)",
            arguments: [
                chunkID, KeywordAnalyzer.indexText(heading),
                KeywordAnalyzer.indexText(headings.joined(separator: " > ") + "\n" + text),
            ])
    }
}
