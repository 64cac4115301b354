import Foundation
import LanguageModel

/// One arm of an offline comparison: the base model alone, or with adapters applied.
public struct ComparisonArm: Sendable {
    /// "base", or the adapter's name.
    public var name: String
    /// Empty for the base model.
    public var adapters: [ActiveAdapter]

    public init(name: String, adapters: [ActiveAdapter]) {
        self.name = name
        self.adapters = adapters
    }

    /// The name of the base model's arm, as `ExperimentLog` names it too.
    public static let baseName = ExperimentLog.armName(nil)

    public static let base = ComparisonArm(name: baseName, adapters: [])
}

/// The offline A/B comparison: a question set answered by the base model and by each adapter,
/// each question retrieved once and answered by every arm from the same passages with the same
/// generation options (greedy by default, one seed), so that the arms differ in their weights
/// and in nothing else.
///
/// The arms take turns answering first (question 1: base first, question 2: the next arm first,
/// ...), so that whatever warms up on the first generation after a switch (caches, the CPU's
/// clock) favours no arm's latency. Greedy decoding does not depend on the order.
public struct OfflineComparison: Sendable {
    public let answerer: QuestionAnswerer
    /// The base model's arm first, then one per adapter.
    public let arms: [ComparisonArm]
    /// Passages to retrieve per question.
    public var k: Int
    /// How each arm generates an answer from the passages; `adapters` is set per arm.
    public var generation: GenerationOptions
    /// How each arm answers a general question (no retrieval, usually fewer tokens).
    public var generalGeneration: GenerationOptions

    public init(
        answerer: QuestionAnswerer, adapters: [ComparisonArm], k: Int = 4,
        generation: GenerationOptions = GenerationOptions(maxTokens: 128),
        generalGeneration: GenerationOptions = GenerationOptions(maxTokens: 48)
    ) {
        self.answerer = answerer
        arms = [.base] + adapters
        self.k = k
        self.generation = generation
        self.generalGeneration = generalGeneration
    }

    /// Retrieves for each question once and answers it with every arm.
    /// - Parameter progress: called with the number of questions done.
    public func answer(_ questions: [RetrievalQuestion], progress: ((Int) -> Void)? = nil) async throws
        -> [ComparedQuestion]
    {
        var compared: [ComparedQuestion] = []
        for (index, question) in questions.enumerated() {
            let clock = ContinuousClock()
            var request = AnswerRequest(question: question.question, k: k, generation: generation)
            let started = clock.now
            let retrieval = try await answerer.retrieve(request)
            let retrievalMilliseconds = (clock.now - started).seconds * 1000
            var answers = [Answer?](repeating: nil, count: arms.count)
            for armIndex in Self.order(arms: arms.count, question: index) {
                request.generation.adapters = arms[armIndex].adapters
                answers[armIndex] = try await answerer.prepare(request, retrieved: retrieval).answer()
            }
            let finished = answers.compactMap { $0 }
            compared.append(
                ComparedQuestion(
                    id: question.id, question: question.question, reference: question.answer ?? "",
                    source: question.source, heading: question.heading, covered: finished.first?.covered ?? false,
                    passages: finished.first?.passages ?? [], retrievalMilliseconds: retrievalMilliseconds,
                    answers: zip(arms, finished).map { ComparedAnswer(arm: $0.name, question: question, answer: $1) }))
            progress?(index + 1)
        }
        return compared
    }

    /// Asks each general question of every arm without retrieval.
    /// - Parameter progress: called with the number of questions done.
    public func answer(general questions: [GeneralQuestion], progress: ((Int) -> Void)? = nil) async throws
        -> [GeneralComparedQuestion]
    {
        var compared: [GeneralComparedQuestion] = []
        for (index, question) in questions.enumerated() {
            var request = AnswerRequest(
                question: question.question, useRetrieval: false, generation: generalGeneration)
            var answers = [GeneralAnswer?](repeating: nil, count: arms.count)
            for armIndex in Self.order(arms: arms.count, question: index) {
                request.generation.adapters = arms[armIndex].adapters
                let answer = try await answerer.prepare(request).answer()
                answers[armIndex] = GeneralAnswer(
                    arm: arms[armIndex].name, text: answer.text, correct: question.isCorrect(answer.text),
                    totalMilliseconds: answer.timings.totalMilliseconds)
            }
            compared.append(GeneralComparedQuestion(question: question, answers: answers.compactMap { $0 }))
            progress?(index + 1)
        }
        return compared
    }

    /// The order in which `arms` arms answer question `question` (from 0): a rotation that starts
    /// at a different arm for each question.
    static func order(arms: Int, question: Int) -> [Int] {
        guard arms > 0 else { return [] }
        return (0..<arms).map { ($0 + question) % arms }
    }
}
