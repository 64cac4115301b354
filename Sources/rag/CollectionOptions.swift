import ArgumentParser
import Embedder
import Foundation
import VectorIndex

/// Options of every command that touches a collection.
struct CollectionOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "Folder holding the collections.", discussion: "Default: $RAG_DATA_DIR, else ./data.", valueName: "dir"))
    var data: String?

    @Option(help: "Collection name: letters, digits, '-', '_' and '.'.")
    var collection = "default"

    @Option(
        help: ArgumentHelp(
            "Index layout when the index is built: auto, flat, hnsw or ivf.",
            discussion: "auto: Flat below --index-threshold vectors, HNSW above. An index already on disk keeps its "
                + "layout until `rag index rebuild`.", valueName: "layout"))
    var index = "auto"

    @Option(help: ArgumentHelp("With --index auto, the size from which HNSW replaces Flat.", valueName: "n"))
    var indexThreshold = IndexPolicy.automatic.approximateThreshold

    func validate() throws {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.")
        guard !collection.isEmpty, collection.allSatisfy(allowed.contains), collection != ".", collection != ".." else {
            throw ValidationError("--collection must be letters, digits, '-', '_' or '.', got '\(collection)'.")
        }
        guard index == "auto" || IndexLayout(rawValue: index) != nil else {
            throw ValidationError("--index must be auto, flat, hnsw or ivf, got '\(index)'.")
        }
        guard indexThreshold >= 0 else {
            throw ValidationError("--index-threshold must be 0 or more, got \(indexThreshold).")
        }
    }

    var policy: IndexPolicy {
        IndexPolicy(layout: IndexLayout(rawValue: index), approximateThreshold: indexThreshold)
    }

    var directory: URL {
        let root =
            data ?? ProcessInfo.processInfo.environment["RAG_DATA_DIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "data"
        return URL(fileURLWithPath: root).appendingPathComponent("collections").appendingPathComponent(collection)
    }

    func open(for embedder: SentenceEmbedder) throws -> DocumentCollection {
        try DocumentCollection(
            directory: directory, embedder: embedder.name, dimension: embedder.dimension, policy: policy)
    }
}
