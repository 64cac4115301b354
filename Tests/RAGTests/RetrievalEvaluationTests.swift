import Foundation
import Testing

@testable import RAG

@Suite("Retrieval evaluation scores")
struct RetrievalEvaluationTests {
    let question = RetrievalQuestion(id: "q1", question: "?", source: "manual.md", heading: "Reset")

    func result(_ source: String, _ heading: String) -> SearchResult {
        SearchResult(
            chunkID: 1, source: source, headingPath: heading, text: "", score: 0, denseScore: nil, keywordScore: nil)
    }

    @Test("hit@1, hit@5, MRR and nDCG@10 follow the rank of the hits")
    func scores() {
        let first = RetrievalOutcome(
            question: question, results: [result("docs/manual.md", "Manual > Reset")], firstHit: 0)
        let third = RetrievalOutcome(
            question: question,
            results: [
                result("docs/other.md", "Reset"), result("docs/manual.md", "Manual > Wi-Fi"),
                result("docs/manual.md", "Manual > Reset"),
            ], firstHit: 2)
        let none = RetrievalOutcome(question: question, results: [result("x.md", "Reset")], firstHit: nil)
        let outcomes = RetrievalOutcomes([first, third, none])
        let scores = outcomes.scores
        #expect(abs(scores.hitAt1 - 1.0 / 3) < 1e-12)
        #expect(abs(scores.hitAt5 - 2.0 / 3) < 1e-12)
        #expect(abs(scores.mrr - (1 + 1.0 / 3) / 3) < 1e-12)
        // One relevant result at rank 3: DCG 1/log2(4) = 0.5 against an ideal of 1.
        #expect(abs(scores.ndcgAt10 - (1 + 0.5) / 3) < 1e-12)
        #expect(outcomes.misses(at: 1).map(\.firstHit) == [2, nil])
        #expect(outcomes.misses(at: 5).map(\.firstHit) == [nil])
    }

    @Test("two relevant results at ranks 1 and 3 score below the ideal ranks 1 and 2")
    func ndcgWithSeveralHits() {
        let outcome = RetrievalOutcome(
            question: question,
            results: [
                result("manual.md", "Reset"), result("other.md", "Reset"), result("manual.md", "Manual > Reset > Soft"),
            ], firstHit: 0)
        let ideal = 1 + 1 / log2(3.0)
        #expect(abs(RetrievalOutcomes.ndcg(outcome, depth: 10) - (1 + 0.5) / ideal) < 1e-12)
        #expect(RetrievalOutcomes([]).scores == RetrievalScores(hitAt1: 0, hitAt5: 0, mrr: 0, ndcgAt10: 0))
    }
}
