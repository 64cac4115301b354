import Foundation

/// What an offline comparison ran with, for the report's reader and for reproducing it.
public struct ComparisonSettings: Sendable, Codable {
    /// The question file, as given.
    public var questionsFile: String
    public var model: String
    public var embedder: String
    public var collection: String
    /// Each adapter arm's name and the folder it was loaded from.
    public var adapters: [AdapterSource]
    public var k: Int
    public var maxTokens: Int
    public var temperature: Float
    public var seed: UInt64
    /// The general question file; nil when the check did not run.
    public var generalFile: String?
    public var generalMaxTokens: Int
    public var threads: Int
    /// The paired tests' significance level and the bootstrap's resamples and confidence.
    public var alpha: Double
    public var resamples: Int
    public var confidence: Double
    public var createdAt: Date

    /// An adapter arm and where it came from.
    public struct AdapterSource: Sendable, Codable, Equatable {
        public var name: String
        public var path: String

        public init(name: String, path: String) {
            self.name = name
            self.path = path
        }
    }

    public init(
        questionsFile: String, model: String, embedder: String, collection: String, adapters: [AdapterSource],
        k: Int, maxTokens: Int, temperature: Float, seed: UInt64, generalFile: String?, generalMaxTokens: Int,
        threads: Int, createdAt: Date = Date()
    ) {
        self.questionsFile = questionsFile
        self.model = model
        self.embedder = embedder
        self.collection = collection
        self.adapters = adapters
        self.k = k
        self.maxTokens = maxTokens
        self.temperature = temperature
        self.seed = seed
        self.generalFile = generalFile
        self.generalMaxTokens = generalMaxTokens
        self.threads = threads
        alpha = PairedTest.alpha
        resamples = BootstrapInterval.defaultResamples
        confidence = BootstrapInterval.defaultConfidence
        self.createdAt = createdAt
    }
}

/// The general-ability check over all arms.
public struct GeneralAbilityReport: Sendable, Codable {
    /// How an answer was judged correct, in words.
    public var rule: String
    /// Correct answers per arm, in the order of the report's arms.
    public var correct: [Int]
    /// One per adapter arm, against the base.
    public var tallies: [GeneralAbilityTally]
    public var questions: [GeneralComparedQuestion]

    /// Tallies `questions`, answered by `arms` (the base first).
    public init(arms: [String], questions: [GeneralComparedQuestion]) throws {
        rule = GeneralQuestion.correctnessRule
        self.questions = questions
        let answers = arms.indices.map { arm in questions.map { $0.answers[arm] } }
        correct = answers.map { $0.filter(\.correct).count }
        tallies = try arms.indices.dropFirst().map { arm in
            try GeneralAbilityTally(arm: arms[arm], base: answers[0], adapter: answers[arm])
        }
    }
}

/// Everything `rag ab` found: the settings, each arm's summary, each adapter against the base with
/// its verdicts, the general-ability check, and every question with every arm's answer. It is
/// report.json as written, and what report.html is drawn from.
public struct ComparisonReport: Sendable, Codable {
    public var settings: ComparisonSettings
    /// The base model's arm first, then one per adapter.
    public var arms: [ArmResult]
    /// One per adapter arm, against the base.
    public var comparisons: [AdapterComparison]
    public var general: GeneralAbilityReport?
    public var questions: [ComparedQuestion]
    /// Seconds the whole comparison took, model loading aside.
    public var elapsedSeconds: Double

    /// Summarises and compares the answers of `arms` (the base first, then the adapters, named as
    /// in each question's answers) to `questions` and, when it ran, to the general questions.
    public init(
        settings: ComparisonSettings, arms names: [String], questions: [ComparedQuestion],
        general: [GeneralComparedQuestion]?, elapsedSeconds: Double = 0
    ) throws {
        if let bad = questions.first(where: { $0.answers.map(\.arm) != names }) {
            throw EvaluationError(
                message: "question \(bad.id) has answers from \(bad.answers.map(\.arm)), expected \(names)")
        }
        if let bad = general?.first(where: { $0.answers.map(\.arm) != names }) {
            throw EvaluationError(
                message: "general question \(bad.question.id) has answers from \(bad.answers.map(\.arm)), "
                    + "expected \(names)")
        }
        let answers = names.indices.map { arm in questions.map { $0.answers[arm] } }
        let outcomes = answers.map { $0.map(\.outcome) }
        self.settings = settings
        arms = names.indices.map {
            ArmResult(arm: names[$0], adapter: $0 == 0 ? nil : names[$0], answers: answers[$0])
        }
        comparisons = try names.indices.dropFirst().map { arm in
            try AdapterComparison(arm: names[arm], baseline: names[0], base: outcomes[0], adapter: outcomes[arm])
        }
        self.general = try general.map { try GeneralAbilityReport(arms: names, questions: $0) }
        self.questions = questions
        self.elapsedSeconds = elapsedSeconds
    }
}
