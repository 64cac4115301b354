import ArgumentParser
import Foundation
import RAG

/// `rag eval`: measure quality.
struct EvalCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval", abstract: "Measure retrieval quality.", subcommands: [EvalRetrievalCommand.self])
}

/// `rag eval retrieval QA.jsonl`: hit@1, hit@5 and MRR for dense, keyword and hybrid search.
struct EvalRetrievalCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retrieval",
        abstract: "hit@1, hit@5 and MRR of each search mode on a question file.",
        discussion: """
            Each line of QA.jsonl is {"id", "question", "answer", "source", "heading"}. A result is a hit
            when its document source ends with "source" and its heading breadcrumb contains "heading".
            """)

    @OptionGroup var embedder: EmbedderOptions
    @OptionGroup var collection: CollectionOptions

    @Argument(help: "The question file (JSON lines).", completion: .file())
    var questions: String

    @Flag(help: "Print one JSON object.")
    var json = false

    func run() async throws {
        let set = try RetrievalEvaluation.loadQuestions(URL(fileURLWithPath: questions))
        let model = try embedder.load()
        let retriever = Retriever(embedder: model, collection: try collection.open(for: model))
        var scores: [String: RetrievalScores] = [:]
        for mode in [SearchMode.dense, .keyword, .hybrid] {
            scores[mode.rawValue] = try RetrievalEvaluation.evaluate(set, retriever: retriever, mode: mode)
        }
        if json {
            try JSONOutput.print(scores)
        } else {
            print("\(set.count) questions")
            for mode in ["dense", "keyword", "hybrid"] {
                guard let score = scores[mode] else { continue }
                print(
                    mode.padding(toLength: 8, withPad: " ", startingAt: 0)
                        + String(format: "hit@1 %.3f  hit@5 %.3f  MRR %.3f", score.hitAt1, score.hitAt5, score.mrr))
            }
        }
    }
}
