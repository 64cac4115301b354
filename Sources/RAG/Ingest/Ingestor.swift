import Dispatch
import Embedder
import Foundation
import VectorIndex

/// What `rag ingest` did.
public struct IngestSummary: Sendable, Equatable, Codable {
    public var added = 0
    public var updated = 0
    public var unchanged = 0
    public var skipped = 0
    public var removed = 0
    /// Chunks written (added or updated documents).
    public var chunks = 0
    /// Chunks that needed a new embedding (the others kept theirs: same heading and text).
    public var embedded = 0
    public var seconds = 0.0
    /// Files not ingested, with why.
    public var skippedFiles: [SkippedFile] = []
    /// Where the time went.
    public var stages = StageSeconds()

    /// Seconds spent in each stage of the ingest.
    public struct StageSeconds: Sendable, Equatable, Codable {
        /// Reading and hashing files, and parsing them (Markdown, HTML, pdftotext).
        public var read = 0.0
        public var chunk = 0.0
        public var embed = 0.0
        /// SQLite and FAISS: looking up stored embeddings, writing chunks, saving the index.
        public var write = 0.0
    }

    public struct SkippedFile: Sendable, Equatable, Codable {
        public var path: String
        public var reason: String
    }
}

/// Progress reported after each file.
public struct IngestProgress: Sendable {
    public var filesDone: Int
    public var filesTotal: Int
    public var chunks: Int
    public var seconds: Double
}

/// Incremental ingest of manuals into a collection.
///
/// Unchanged files (same SHA-256) are skipped without reading or embedding; a changed file has its
/// chunks replaced in one transaction, re-embedding only chunks whose heading or text changed;
/// `prune` deletes the documents under the given paths whose files are gone; `dryRun` only
/// classifies. Unknown, binary or unreadable files are skipped and named, never fatal.
public struct Ingestor: Sendable {
    public let embedder: SentenceEmbedder
    public let collection: DocumentCollection
    public let chunker: Chunker

    public init(embedder: SentenceEmbedder, collection: DocumentCollection, chunking: ChunkingOptions? = nil) {
        self.embedder = embedder
        self.collection = collection
        let maximum = embedder.maxSequenceLength - 2
        let options = chunking ?? ChunkingOptions(maximumTokens: maximum)
        let clamped = ChunkingOptions(
            targetTokens: options.targetTokens, overlapTokens: options.overlapTokens,
            maximumTokens: min(options.maximumTokens, maximum))
        chunker = Chunker(options: clamped) { text in max(0, embedder.tokenIDs(text).count - 2) }
    }

    public func ingest(
        paths: [String], prune: Bool = false, dryRun: Bool = false, progress: ((IngestProgress) -> Void)? = nil
    ) throws(VectorIndexError) -> IngestSummary {
        let (files, missing) = SourceFiles.enumerate(paths)
        var summary = IngestSummary()
        for path in missing {
            summary.skipped += 1
            summary.skippedFiles.append(.init(path: path, reason: "no such file or folder"))
        }
        return try ingest(
            files: files, summary: summary, prune: prune ? paths : nil, dryRun: dryRun, progress: progress)
    }

    /// Ingests these files under the sources they name (a document uploaded through the API is
    /// stored in a file of the collection's but known by the name it was given).
    public func ingest(files: [SourceFile], dryRun: Bool = false) throws(VectorIndexError) -> IngestSummary {
        try ingest(files: files, summary: IngestSummary(), prune: nil, dryRun: dryRun, progress: nil)
    }

    private func ingest(
        files: [SourceFile], summary: IngestSummary, prune paths: [String]?, dryRun: Bool,
        progress: ((IngestProgress) -> Void)?
    ) throws(VectorIndexError) -> IngestSummary {
        let started = Date()
        var summary = summary
        let stored = try collection.database.documentHashes()
        // Documents wait here until enough chunks need embedding to fill batches on every core:
        // one small document at a time would leave the embedder a quarter idle.
        var pending: [PendingDocument] = []
        var pendingChunks = 0
        var done = 0
        func flush() throws(VectorIndexError) {
            try write(pending, into: &summary)
            done += pending.count
            pending.removeAll()
            pendingChunks = 0
            progress?(
                IngestProgress(
                    filesDone: done, filesTotal: files.count, chunks: summary.chunks,
                    seconds: Date().timeIntervalSince(started)))
        }
        for file in files {
            if let document = try prepare(file, stored: stored, dryRun: dryRun, into: &summary) {
                pending.append(document)
                pendingChunks += document.missing.count
            } else {
                done += 1
            }
            if pendingChunks >= Self.embeddingBatch || pending.isEmpty { try flush() }
        }
        if !pending.isEmpty { try flush() }
        if let paths {
            let seen = Set(files.map(\.source))
            let roots = paths.map(SourceFiles.normalized)
            for source in stored.keys.sorted() where !seen.contains(source) && Self.isUnder(source, roots) {
                if !dryRun { try collection.deleteDocument(source: source) }
                summary.removed += 1
            }
        }
        if !dryRun, summary.added + summary.updated + summary.removed > 0 {
            var clock = StageClock()
            try collection.saveIndex()
            summary.stages.write += clock.lap()
        }
        summary.seconds = Date().timeIntervalSince(started)
        return summary
    }

    /// Chunks embedded together across documents.
    static let embeddingBatch = 128

    /// A document read and chunked, waiting for its missing embeddings.
    struct PendingDocument {
        var input: DocumentInput
        var chunks: [Chunk]
        var vectors: [[Float]?]
        /// Indices of `chunks` that need an embedding.
        var missing: [Int]
    }

    /// Classifies one file; returns it when it must be (re)written. Unchanged, skipped and (in a
    /// dry run) every file are fully counted here.
    private func prepare(_ file: SourceFile, stored: [String: String], dryRun: Bool, into summary: inout IngestSummary)
        throws(VectorIndexError) -> PendingDocument?
    {
        func skip(_ reason: String) -> PendingDocument? {
            summary.skipped += 1
            summary.skippedFiles.append(.init(path: file.source, reason: reason))
            return nil
        }
        guard let format = DocumentFormat(fileExtension: file.url.pathExtension) else {
            return skip("unsupported file type '.\(file.url.pathExtension)'")
        }
        var clock = StageClock()
        defer { summary.stages.read += clock.elapsed() }
        guard let bytes = FileManager.default.contents(atPath: file.url.path) else {
            return skip("cannot be read")
        }
        let hash = SHA256.hex(bytes)
        let previous = stored[file.source]
        if previous == hash {
            summary.unchanged += 1
            return nil
        }
        let document: ReadDocument
        do { document = try DocumentReader.read(fileAt: file.url) } catch { return skip(error.description) }
        summary.stages.read += clock.lap()
        let chunks = chunker.chunks(of: document)
        summary.stages.chunk += clock.lap()
        if previous == nil { summary.added += 1 } else { summary.updated += 1 }
        summary.chunks += chunks.count
        if dryRun { return nil }

        // Reuse the embeddings of chunks that did not change.
        let known = previous == nil ? [:] : try collection.database.embeddings(source: file.source)
        let vectors: [[Float]?] = chunks.map { known[ChunkKey(headingPath: $0.headingPath, text: $0.text)] }
        summary.stages.write += clock.lap()
        let attributes = try? FileManager.default.attributesOfItem(atPath: file.url.path)
        let input = DocumentInput(
            source: file.source, title: document.title, contentHash: hash, size: bytes.count,
            modifiedAt: attributes?[.modificationDate] as? Date, metadataJSON: "{\"format\":\"\(format.rawValue)\"}")
        return PendingDocument(
            input: input, chunks: chunks, vectors: vectors, missing: vectors.indices.filter { vectors[$0] == nil })
    }

    /// Embeds what the documents lack in one call, then writes each document in its own transaction.
    private func write(_ documents: [PendingDocument], into summary: inout IngestSummary) throws(VectorIndexError) {
        guard !documents.isEmpty else { return }
        var clock = StageClock()
        let texts = documents.flatMap { document in document.missing.map { document.chunks[$0].embeddingText } }
        var fresh = embedder.embed(texts).makeIterator()
        summary.embedded += texts.count
        summary.stages.embed += clock.lap()
        for var document in documents {
            for index in document.missing { document.vectors[index] = fresh.next()?.vector }
            let inputs = zip(document.chunks, document.vectors).map { chunk, vector in
                ChunkInput(
                    text: chunk.text, startOffset: chunk.startOffset, endOffset: chunk.endOffset,
                    headingPath: chunk.headingPath, tokenCount: chunk.tokenCount, embedding: vector ?? [])
            }
            try collection.replaceDocument(document.input, chunks: inputs)
        }
        summary.stages.write += clock.lap()
    }

    /// Whether `source` lies under one of the ingested paths.
    static func isUnder(_ source: String, _ roots: [String]) -> Bool {
        roots.contains { root in source == root || source.hasPrefix(root.hasSuffix("/") ? root : root + "/") }
    }
}

/// Measures consecutive stages: `lap()` returns the time since the previous lap.
struct StageClock {
    private var last = DispatchTime.now().uptimeNanoseconds

    mutating func lap() -> Double {
        let now = DispatchTime.now().uptimeNanoseconds
        defer { last = now }
        return Double(now - last) / 1e9
    }

    /// Time since the last lap, without starting a new one.
    func elapsed() -> Double { Double(DispatchTime.now().uptimeNanoseconds - last) / 1e9 }
}
