import ArgumentParser
import Foundation
import VectorIndex

/// `rag documents`: what a collection holds.
struct DocumentsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "documents", abstract: "List or delete the documents of a collection.",
        subcommands: [DocumentsListCommand.self, DocumentsDeleteCommand.self])
}

struct DocumentsListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the documents.")

    @OptionGroup var embedder: EmbedderOptions
    @OptionGroup var collection: CollectionOptions

    @Flag(help: "Print one JSON object.")
    var json = false

    struct Output: Encodable { var documents: [DocumentInfo] }

    func run() async throws {
        let documents = try collection.open(for: try embedder.load()).database.documents()
        if json { return try JSONOutput.print(Output(documents: documents)) }
        if documents.isEmpty { print("no documents") }
        for document in documents {
            print("\(document.source)  \(document.chunks) chunks, \(document.size) bytes")
        }
    }
}

struct DocumentsDeleteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete", abstract: "Delete documents by source; their chunks can no longer be found.")

    @OptionGroup var embedder: EmbedderOptions
    @OptionGroup var collection: CollectionOptions

    @Argument(help: "Sources as `rag documents list` shows them.")
    var sources: [String]

    @Flag(help: "Print one JSON object.")
    var json = false

    struct Output: Encodable {
        var deleted: [String]
        var notFound: [String]
        var chunks: Int
    }

    func validate() throws {
        if sources.isEmpty { throw ValidationError("Give at least one source to delete.") }
    }

    func run() async throws {
        let store = try collection.open(for: try embedder.load())
        let known = Set(try store.database.documents().map(\.source))
        var output = Output(deleted: [], notFound: [], chunks: 0)
        for source in sources {
            guard known.contains(source) else {
                output.notFound.append(source)
                continue
            }
            output.chunks += try store.deleteDocument(source: source).count
            output.deleted.append(source)
        }
        if !output.deleted.isEmpty { try store.saveIndex() }
        if json {
            try JSONOutput.print(output)
        } else {
            print("deleted \(output.deleted.count) documents (\(output.chunks) chunks)")
        }
        if !output.notFound.isEmpty {
            throw CommandError(
                message: "no document with source \(output.notFound.joined(separator: ", ")); see `rag documents list`")
        }
    }
}
