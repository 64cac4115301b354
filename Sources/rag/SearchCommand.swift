import ArgumentParser
import Foundation
import RAG

/// `rag search`: retrieval only.
struct SearchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search", abstract: "Find the chunks of a collection that best match QUERY.")

    @OptionGroup var embedder: EmbedderOptions
    @OptionGroup var collection: CollectionOptions

    @Argument(help: "What to look for.")
    var query: String

    @Option(help: "How many results, 1 to 100.")
    var k = 5

    @Option(help: "hybrid (dense and keyword fused, the default), dense or keyword.")
    var mode: SearchMode = .hybrid

    @Option(help: "Only documents whose source starts with this.")
    var source: String?

    @Flag(help: "Print the results as one JSON object.")
    var json = false

    func validate() throws {
        if !(1...100).contains(k) { throw ValidationError("--k must be between 1 and 100, got \(k).") }
    }

    struct Output: Encodable {
        var query: String
        var mode: String
        var results: [Item]
        struct Item: Encodable {
            var chunkId: Int64
            var source: String
            var headingPath: String
            var text: String
            var score: Double
            var denseScore: Double?
            var keywordScore: Double?
        }
    }

    func run() async throws {
        let model = try embedder.load()
        let retriever = Retriever(embedder: model, collection: try collection.open(for: model))
        let results = try retriever.search(query, k: k, mode: mode, sourcePrefix: source)
        if json {
            let output = Output(
                query: query, mode: mode.rawValue,
                results: results.map {
                    .init(
                        chunkId: $0.chunkID, source: $0.source, headingPath: $0.headingPath, text: $0.text,
                        score: $0.score,
                        denseScore: $0.denseScore, keywordScore: $0.keywordScore)
                })
            try JSONOutput.print(output)
        } else {
            if results.isEmpty { print("no results") }
            for (rank, result) in results.enumerated() {
                let place = result.headingPath.isEmpty ? result.source : "\(result.source) — \(result.headingPath)"
                print(String(format: "%d. [%.4f] ", rank + 1, result.score) + place)
                print("   " + result.text.prefix(300).replacingOccurrences(of: "\n", with: " "))
            }
        }
    }
}

extension SearchMode: ExpressibleByArgument {}
