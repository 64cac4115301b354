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
}

/// hit@1, hit@5 and mean reciprocal rank (over the top 10) of one search mode.
public struct RetrievalScores: Sendable, Equatable, Codable {
    public var hitAt1: Double
    public var hitAt5: Double
    public var mrr: Double

    enum CodingKeys: String, CodingKey {
        case hitAt1 = "hit@1"
        case hitAt5 = "hit@5"
        case mrr
    }
}

/// Measures retrieval on a question set: for each question, the rank of the first result from
/// the right document and section.
public enum RetrievalEvaluation {
    public static let depth = 10

    /// Reads a JSON-lines file of `{"id", "question", "answer", "source", "heading"}` objects.
    public static func loadQuestions(_ url: URL) throws -> [RetrievalQuestion] {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw EvaluationError(message: "\(url.path) cannot be read")
        }
        var questions: [RetrievalQuestion] = []
        for (number, line) in String(decoding: data, as: UTF8.self).split(separator: "\n").enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { continue }
            let value: JSONValue
            do { value = try JSONParser.parse(Array(trimmed.utf8)) } catch {
                throw EvaluationError(message: "\(url.path), line \(number + 1): not valid JSON (\(error))")
            }
            guard let question = value["question"]?.string, let source = value["source"]?.string,
                let heading = value["heading"]?.string
            else {
                throw EvaluationError(
                    message:
                        "\(url.path), line \(number + 1): needs string fields \"question\", \"source\" and \"heading\"")
            }
            questions.append(
                RetrievalQuestion(
                    id: value["id"]?.string ?? "line \(number + 1)", question: question, source: source,
                    heading: heading))
        }
        return questions
    }

    /// Whether a result answers the question.
    public static func matches(_ result: SearchResult, _ question: RetrievalQuestion) -> Bool {
        result.source.hasSuffix(question.source) && result.headingPath.contains(question.heading)
    }

    /// Scores of `mode` over `questions`.
    public static func evaluate(_ questions: [RetrievalQuestion], retriever: Retriever, mode: SearchMode)
        throws(VectorIndexError) -> RetrievalScores
    {
        guard !questions.isEmpty else { return RetrievalScores(hitAt1: 0, hitAt5: 0, mrr: 0) }
        var hit1 = 0
        var hit5 = 0
        var reciprocal = 0.0
        for question in questions {
            let results = try retriever.search(question.question, k: depth, mode: mode)
            if let rank = results.firstIndex(where: { matches($0, question) }) {
                if rank == 0 { hit1 += 1 }
                if rank < 5 { hit5 += 1 }
                reciprocal += 1 / Double(rank + 1)
            }
        }
        let count = Double(questions.count)
        return RetrievalScores(hitAt1: Double(hit1) / count, hitAt5: Double(hit5) / count, mrr: reciprocal / count)
    }
}

/// A question file that cannot be used.
public struct EvaluationError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
