import Foundation
import Testing

@testable import RAG

@Suite("General-ability check")
struct GeneralAbilityTests {
    @Test("an answer is correct when it holds the reference as whole words, case and punctuation aside")
    func correctness() {
        let capital = GeneralQuestion(id: "g1", question: "What is the capital of France?", answer: "Paris")
        #expect(capital.isCorrect("The capital of France is PARIS."))
        #expect(capital.isCorrect("Paris"))
        #expect(!capital.isCorrect("Lyon, I think."))
        #expect(!capital.isCorrect("Parisian cafés are famous."))

        let sum = GeneralQuestion(id: "g2", question: "What is 2 + 2?", answer: "4", alternatives: ["four"])
        #expect(sum.isCorrect("2 + 2 = 4."))
        #expect(sum.isCorrect("It's four!"))
        #expect(!sum.isCorrect("The answer is 14."))
        #expect(!sum.isCorrect("4.5"))

        let weight = GeneralQuestion(
            id: "g3", question: "Grams in a kilogram?", answer: "1000", alternatives: ["1,000"])
        #expect(weight.isCorrect("There are 1,000 grams in a kilogram."))
        #expect(GeneralQuestion(id: "g4", question: "?", answer: "2.5").isCorrect("It is 2.5 litres."))
        #expect(GeneralQuestion(id: "g5", question: "法国的首都是？", answer: "巴黎").isCorrect("法国的首都是巴黎。"))
    }

    @Test("the tally counts changed answers, those that stayed correct, were lost and were gained")
    func tally() throws {
        func answers(_ arm: String, _ items: [(String, Bool)]) -> [GeneralAnswer] {
            items.map { GeneralAnswer(arm: arm, text: $0.0, correct: $0.1) }
        }
        let base = answers(
            "base", [("Paris", true), ("4", true), ("blue", true), ("I don't know", false), ("7", true)])
        let adapter = answers(
            "tuned", [("Paris ", true), ("Four", true), ("Reset the robot.", false), ("Tokyo", true), ("7", true)])
        let tally = try GeneralAbilityTally(arm: "tuned", base: base, adapter: adapter)
        #expect(tally.questions == 5)
        #expect(tally.baseCorrect == 4)
        #expect(tally.adapterCorrect == 4)
        #expect(tally.changed == 3)  // "Paris " is "Paris" once trimmed
        #expect(tally.stayedCorrect == 3)
        #expect(tally.lost == 1)
        #expect(tally.gained == 1)
        #expect(tally.test.n == 2)
        #expect(tally.test.verdict == .indistinguishable)
    }

    @Test("the report counts correct answers per arm and tallies each adapter against the base")
    func report() throws {
        let report = try ABFixtures.report(shift: 0)
        let general = try #require(report.general)
        #expect(general.correct == [1, 0])
        #expect(general.tallies.map(\.arm) == ["tuned"])
        #expect(general.tallies.first?.lost == 1)
        #expect(general.rule == GeneralQuestion.correctnessRule)
    }

    @Test("the general question file reads answers and alternatives, and names a bad line")
    func load() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("general-\(UUID().uuidString).jsonl")
        defer { try? FileManager.default.removeItem(at: file) }
        try """
        {"id": "g1", "question": "What is 2 + 2?", "answer": "4", "alternatives": ["four"]}

        {"question": "Capital of Italy?", "answer": "Rome"}
        """.write(to: file, atomically: true, encoding: .utf8)
        let questions = try GeneralQuestion.load(file)
        #expect(questions.map(\.id) == ["g1", "line 3"])
        #expect(questions.first?.alternatives == ["four"])

        try "{\"question\": \"Colour of snow?\", \"answer\": \"white\", \"alternatives\": \"snow white\"}\n"
            .write(to: file, atomically: true, encoding: .utf8)
        #expect(throws: EvaluationError.self) { try GeneralQuestion.load(file) }
    }

    @Test("the project's general questions load and their own answers count as correct")
    func projectFile() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let questions = try GeneralQuestion.load(root.appendingPathComponent("corpora/general.jsonl"))
        #expect(questions.count >= 30)
        #expect(Set(questions.map(\.id)).count == questions.count)
        for question in questions {
            #expect(question.isCorrect("I believe it is \(question.answer)."), "\(question.id)")
        }
    }
}
