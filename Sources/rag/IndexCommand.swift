import ArgumentParser
import Dispatch
import VectorIndex

/// `rag index`: maintenance of a collection's FAISS index.
struct IndexCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "index", abstract: "Maintain a collection's vector index.",
        subcommands: [IndexRebuildCommand.self, IndexCheckCommand.self])
}

/// `rag index rebuild`: builds the index again from the embeddings stored in SQLite.
///
/// This is the compaction HNSW needs after deletions (it cannot remove vectors, so deleted ids
/// stay in its graph until now), and the way to move a collection to another layout.
struct IndexRebuildCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rebuild",
        abstract: "Rebuild the vector index from SQLite in the layout --index gives (drops deleted HNSW entries).")

    @OptionGroup var embedder: EmbedderOptions
    @OptionGroup var collection: CollectionOptions

    @Flag(help: "Print one JSON object.")
    var json = false

    struct Output: Encodable {
        var layout: String
        var vectors: Int
        var seconds: Double
    }

    func run() async throws {
        let store = try collection.open(for: try embedder.load())
        let start = DispatchTime.now().uptimeNanoseconds
        let layout = try store.rebuildIndex()
        let output = Output(
            layout: layout.rawValue, vectors: store.indexedCount,
            seconds: Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        if json { return try JSONOutput.print(output) }
        print(
            "rebuilt a \(layout.rawValue) index of \(output.vectors) vectors in \(String(format: "%.2f", output.seconds)) s"
        )
    }
}
