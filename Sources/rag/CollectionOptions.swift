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

    func validate() throws {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.")
        guard !collection.isEmpty, collection.allSatisfy(allowed.contains), collection != ".", collection != ".." else {
            throw ValidationError("--collection must be letters, digits, '-', '_' or '.', got '\(collection)'.")
        }
    }

    var directory: URL {
        let root =
            data ?? ProcessInfo.processInfo.environment["RAG_DATA_DIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "data"
        return URL(fileURLWithPath: root).appendingPathComponent("collections").appendingPathComponent(collection)
    }

    func open(for embedder: SentenceEmbedder) throws -> DocumentCollection {
        try DocumentCollection(directory: directory, embedder: embedder.name, dimension: embedder.dimension)
    }
}
