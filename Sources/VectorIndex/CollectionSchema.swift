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
            // Holds the analyzed text (KeywordAnalyzer.indexText), rowid = chunk id.
            try db.create(virtualTable: "chunksText", using: FTS5()) { table in
                table.tokenizer = .unicode61(diacritics: .remove)
                table.column("terms")
            }
        }
        return migrator
    }
}
