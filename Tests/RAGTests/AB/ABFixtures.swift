@testable import RAG

/// Made-up answers and reports for the A/B tests that need no model.
enum ABFixtures {
    /// An answer whose four overlap scores are all `score`.
    static func outcome(
        _ score: Double, id: String = "q", answer: String = "an answer", citesGold: Bool = true,
        keyFacts: Bool = true, milliseconds: Double = 100, quotesPassage: Bool = false
    ) -> AnswerOutcome {
        AnswerOutcome(
            id: id, question: "a question", answer: answer, covered: true, quotesPassage: quotesPassage,
            unsupportedSentences: [],
            citesGoldSource: citesGold, keyFacts: [],
            containsKeyFacts: keyFacts,
            metrics: AnswerMetrics(rougeL: score, tokenF1: score, bleu: score, groundedness: score),
            promptTokens: 700, cachedPromptTokens: 60, timeToFirstTokenMilliseconds: milliseconds / 2,
            totalMilliseconds: milliseconds)
    }

    /// 20 base scores spread over [0.1, 0.58]: the question-to-question variation pairing removes.
    static let baseScores = (0..<20).map { 0.1 + Double($0) * 0.025 }

    /// A report of two arms on 20 questions, the adapter `shift` above the base on every answer
    /// score, with the given texts for question 1.
    static func report(
        shift: Double, question: String = "How long does the battery last?", answer: String = "90 minutes [1].",
        passage: String = "The battery lasts 90 minutes."
    ) throws -> ComparisonReport {
        let passages = [
            Passage(
                number: 1,
                result: SearchResult(
                    chunkID: 1, source: "manual.md", headingPath: "Battery", text: passage, score: 1, denseScore: 0.8,
                    keywordScore: nil))
        ]
        let questions = baseScores.enumerated().map { index, score in
            ComparedQuestion(
                id: "q\(index + 1)", question: index == 0 ? question : "question \(index + 1)",
                reference: "90 minutes", source: "manual.md", heading: "Battery", covered: true, passages: passages,
                retrievalMilliseconds: 5,
                answers: [
                    ComparedAnswer(arm: "base", outcome: outcome(score, answer: index == 0 ? answer : "base answer")),
                    ComparedAnswer(
                        arm: "tuned",
                        outcome: outcome(
                            min(1, max(0, score + shift)), answer: "tuned answer", milliseconds: 100 + Double(index))),
                ])
        }
        let general = [
            GeneralComparedQuestion(
                question: GeneralQuestion(id: "g1", question: "What is 2 + 2?", answer: "4"),
                answers: [
                    GeneralAnswer(arm: "base", text: "4", correct: true),
                    GeneralAnswer(arm: "tuned", text: "It is 5.", correct: false),
                ])
        ]
        let settings = ComparisonSettings(
            questionsFile: "qa.jsonl", model: "model", embedder: "embedder", collection: "default",
            adapters: [.init(name: "tuned", path: "adapters/tuned")], k: 4, maxTokens: 64, temperature: 0, seed: 0,
            generalFile: "general.jsonl", generalMaxTokens: 16, threads: 2)
        return try ComparisonReport(
            settings: settings, arms: ["base", "tuned"], questions: questions, general: general)
    }
}
