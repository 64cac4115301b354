import ArgumentParser
import Foundation
import VectorIndex

/// `rag index check`: whether a collection's SQLite file and vector index agree, after a crash,
/// a full disk or by hand. Exits with 1 when they do not.
struct IndexCheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check that a collection is consistent: SQLite integrity, keyword and vector index complete.")

    @OptionGroup var embedder: EmbedderOptions
    @OptionGroup var collection: CollectionOptions

    @Flag(help: "Print one JSON object.")
    var json = false

    func run() async throws {
        let store = try collection.open(for: try embedder.load())
        let check = try store.check()
        if json {
            try JSONOutput.print(check)
        } else {
            print("\(check.documents) documents, \(check.chunks) chunks, \(check.indexedVectors) vectors indexed")
            print(check.consistent ? "consistent" : check.problems.map { "problem: \($0)" }.joined(separator: "\n"))
        }
        if !check.consistent { throw ExitCode(1) }
    }
}
