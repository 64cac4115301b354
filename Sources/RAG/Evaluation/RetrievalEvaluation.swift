import Foundation
import StrictJSON
import VectorIndex

/// One line of a retrieval test set: a question and where its answer is.
public struct RetrievalQuestion: Sendable, Equatable {
    public var id: String
    public var question: String
    /// The answering document's path; a result matches when its source ends with it.
    public var source: String
    /// The heading of the answering section; a result matches when its breadcrumb contains it.
    public var heading: String
    /// The reference answer, when the file gives one.
    public var answer: String? = nil
}

/// hit@1, hit@5, mean reciprocal rank and nDCG (over the top 10) of one search mode.
public struct RetrievalScores: Sendable, Equatable, Codable {
    public var hitAt1: Double
    public var hitAt5: Double
    public var mrr: Double
    /// Normalised discounted cumulative gain over the top 10, every matching chunk relevant.
    public var ndcgAt10: Double

    enum CodingKeys: String, CodingKey {
        case hitAt1 = "hit@1"
        case hitAt5 = "hit@5"
        case mrr
        case ndcgAt10 = "ndcg@10"
    }
}

/// Measures retrieval on a question set: for each question, the rank of the first result from
/// the right document and section.
public enum RetrievalEvaluation {
    public static let depth = 10

    /// Reads a JSON-lines file of `{"id", "question", "answer", "source", "heading"}` objects.
    public static func loadQuestions(_ url: URL) throws -> [RetrievalQuestion] {
        try JSONLinesFile.read(url) { value, number, problem in
            guard let question = value["question"]?.string, let source = value["source"]?.string,
                let heading = value["heading"]?.string
            else {
                throw problem("needs string fields \"question\", \"source\" and \"heading\"")
            }
            return RetrievalQuestion(
                id: value["id"]?.string ?? "line \(number)", question: question, source: source, heading: heading,
                answer: value["answer"]?.string)
        }
    }

    /// Whether a result answers the question.
    public static func matches(_ result: SearchResult, _ question: RetrievalQuestion) -> Bool {
        result.source.hasSuffix(question.source) && result.headingPath.contains(question.heading)
    }

    /// Scores of `mode` over `questions`.
    public static func evaluate(_ questions: [RetrievalQuestion], retriever: Retriever, mode: SearchMode)
        throws(VectorIndexError) -> RetrievalScores
    {
        try outcomes(questions, retriever: retriever, mode: mode).scores
    }

    /// Each question's search results under `mode`, with the rank of the first hit.
    public static func outcomes(_ questions: [RetrievalQuestion], retriever: Retriever, mode: SearchMode)
        throws(VectorIndexError) -> RetrievalOutcomes
    {
        var outcomes: [RetrievalOutcome] = []
        outcomes.reserveCapacity(questions.count)
        for question in questions {
            let results = try retriever.search(question.question, k: depth, mode: mode)
            outcomes.append(
                RetrievalOutcome(
                    question: question, results: results,
                    firstHit: results.firstIndex(where: { matches($0, question) })))
        }
        return RetrievalOutcomes(outcomes)
    }
}

/// What one question retrieved.
public struct RetrievalOutcome: Sendable {
    public var question: RetrievalQuestion
    /// The top `RetrievalEvaluation.depth` results.
    public var results: [SearchResult]
    /// The rank (0-based) of the first result that answers the question, if any did.
    public var firstHit: Int?
}

/// The outcomes of a question set and the scores they give.
public struct RetrievalOutcomes: Sendable {
    public var all: [RetrievalOutcome]

    public init(_ all: [RetrievalOutcome]) { self.all = all }

    /// Questions with no hit in the top `k`.
    public func misses(at k: Int) -> [RetrievalOutcome] {
        all.filter { ($0.firstHit ?? Int.max) >= k }
    }

    public var scores: RetrievalScores {
        guard !all.isEmpty else { return RetrievalScores(hitAt1: 0, hitAt5: 0, mrr: 0, ndcgAt10: 0) }
        var hit1 = 0
        var hit5 = 0
        var reciprocal = 0.0
        var gain = 0.0
        for outcome in all {
            if let rank = outcome.firstHit {
                if rank == 0 { hit1 += 1 }
                if rank < 5 { hit5 += 1 }
                reciprocal += 1 / Double(rank + 1)
            }
            gain += Self.ndcg(outcome, depth: 10)
        }
        let count = Double(all.count)
        return RetrievalScores(
            hitAt1: Double(hit1) / count, hitAt5: Double(hit5) / count, mrr: reciprocal / count,
            ndcgAt10: gain / count)
    }

    /// nDCG over the top `depth` with binary relevance: every result that answers the question counts.
    /// The ideal ranking puts all of them first; as the number of relevant chunks is unknown beyond
    /// those retrieved, the ideal is built from the relevant results seen (at least one).
    static func ndcg(_ outcome: RetrievalOutcome, depth: Int) -> Double {
        var dcg = 0.0
        var relevant = 0
        for (rank, result) in outcome.results.prefix(depth).enumerated()
        where RetrievalEvaluation.matches(result, outcome.question) {
            dcg += 1 / log2(Double(rank + 2))
            relevant += 1
        }
        guard relevant > 0 else { return 0 }
        var ideal = 0.0
        for rank in 0..<relevant { ideal += 1 / log2(Double(rank + 2)) }
        return dcg / ideal
    }
}

/// A question file that cannot be used.
public struct EvaluationError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
