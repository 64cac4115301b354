import ArgumentParser
import Foundation
import RAG

/// `rag eval`: measure quality.
struct EvalCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval", abstract: "Measure retrieval and answer quality.",
        subcommands: [EvalRetrievalCommand.self, EvalAnswersCommand.self])
}

/// `rag eval retrieval QA.jsonl`: hit@1, hit@5, MRR and nDCG@10 for dense, keyword and hybrid search.
struct EvalRetrievalCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retrieval",
        abstract: "hit@1, hit@5, MRR and nDCG@10 of each search mode on a question file.",
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

    @Flag(help: "After the scores, list the questions hybrid search misses in its top 5, with what it found instead.")
    var misses = false

    func run() async throws {
        let set = try RetrievalEvaluation.loadQuestions(URL(fileURLWithPath: questions))
        let model = try embedder.load()
        let retriever = Retriever(embedder: model, collection: try collection.open(for: model))
        var scores: [String: RetrievalScores] = [:]
        var hybrid = RetrievalOutcomes([])
        for mode in [SearchMode.dense, .keyword, .hybrid] {
            let outcomes = try RetrievalEvaluation.outcomes(set, retriever: retriever, mode: mode)
            scores[mode.rawValue] = outcomes.scores
            if mode == .hybrid { hybrid = outcomes }
        }
        if json {
            try JSONOutput.print(scores)
        } else {
            print("\(set.count) questions")
            for mode in ["dense", "keyword", "hybrid"] {
                guard let score = scores[mode] else { continue }
                print(
                    mode.padding(toLength: 8, withPad: " ", startingAt: 0)
                        + String(
                            format: "hit@1 %.3f  hit@5 %.3f  MRR %.3f  nDCG@10 %.3f", score.hitAt1, score.hitAt5,
                            score.mrr, score.ndcgAt10))
            }
        }
        if misses { printMisses(hybrid.misses(at: 5)) }
    }

    /// Each missed question, where its answer is, and the top three results it got instead.
    private func printMisses(_ misses: [RetrievalOutcome]) {
        var lines = ["\(misses.count) questions missed by hybrid search in the top 5:"]
        for miss in misses {
            let rank = miss.firstHit.map { "found at rank \($0 + 1)" } ?? "not in the top \(RetrievalEvaluation.depth)"
            lines.append("- \(miss.question.id): \(miss.question.question)")
            lines.append("  expected \(miss.question.source) # \(miss.question.heading) (\(rank))")
            for result in miss.results.prefix(3) {
                lines.append("  got \(result.source) # \(result.headingPath)")
            }
        }
        let text = lines.joined(separator: "\n") + "\n"
        // With --json, standard output stays one JSON object.
        if json {
            FileHandle.standardError.write(Data(text.utf8))
        } else {
            print(text, terminator: "")
        }
    }
}
