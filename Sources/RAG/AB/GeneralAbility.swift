import Foundation

/// A general question answered by every arm without retrieval.
public struct GeneralComparedQuestion: Sendable, Codable {
    public var question: GeneralQuestion
    /// One answer per arm, in the order of the report's arms.
    public var answers: [GeneralAnswer]

    public init(question: GeneralQuestion, answers: [GeneralAnswer]) {
        self.question = question
        self.answers = answers
    }
}

/// One arm's answer to a general question, judged by `GeneralQuestion.isCorrect`.
public struct GeneralAnswer: Sendable, Codable, Equatable {
    public var arm: String
    public var text: String
    public var correct: Bool
    public var totalMilliseconds: Double

    public init(arm: String, text: String, correct: Bool, totalMilliseconds: Double = 0) {
        self.arm = arm
        self.text = text
        self.correct = correct
        self.totalMilliseconds = totalMilliseconds
    }
}

/// What an adapter did to the base model's general answers: how many it changed, how many of the
/// base's correct answers stayed correct, and whether the count of correct answers moved by more
/// than chance (the sign test on the questions where exactly one arm is correct, which is
/// McNemar's exact test).
public struct GeneralAbilityTally: Sendable, Codable, Equatable {
    /// The adapter's arm.
    public var arm: String
    public var questions: Int
    public var baseCorrect: Int
    public var adapterCorrect: Int
    /// Answers whose text the adapter changed (surrounding whitespace aside).
    public var changed: Int
    /// Correct in both arms.
    public var stayedCorrect: Int
    /// Correct in the base, wrong with the adapter: what the fine-tuning made the model forget.
    public var lost: Int
    /// Wrong in the base, correct with the adapter.
    public var gained: Int
    /// The sign test of adapter against base on correctness (1 or 0 per question).
    public var test: PairedTestResult

    /// Tallies the answers of the base (`base`) and of one adapter to the same questions, in order.
    public init(arm: String, base: [GeneralAnswer], adapter: [GeneralAnswer]) throws {
        self.arm = arm
        questions = base.count
        let pairs = Array(zip(base, adapter))
        baseCorrect = base.filter(\.correct).count
        adapterCorrect = adapter.filter(\.correct).count
        changed = pairs.filter { trimmed($0.text) != trimmed($1.text) }.count
        stayedCorrect = pairs.filter { $0.correct && $1.correct }.count
        lost = pairs.filter { $0.correct && !$1.correct }.count
        gained = pairs.filter { !$0.correct && $1.correct }.count
        test = PairedTest.sign(
            try PairedScores(a: base.map { $0.correct ? 1 : 0 }, b: adapter.map { $0.correct ? 1 : 0 }))
    }
}

private func trimmed(_ text: String) -> String {
    text.trimmingCharacters(in: .whitespacesAndNewlines)
}
