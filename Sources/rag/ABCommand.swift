import AdapterLoader
import ArgumentParser
import Foundation
import LanguageModel
import RAG

/// `rag ab QA.jsonl --adapter NAME`: the offline A/B comparison of the base model and adapters.
struct ABCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ab",
        abstract: "Compare the base model with LoRA adapters on a question file, offline, and write a report.",
        discussion: """
            Every question is retrieved once, then answered by the base model and by each adapter from the same \
            passages with the same generation options (greedy unless --temperature; one --seed). Each answer is \
            scored against the reference (ROUGE-L F1, token F1, BLEU-4, Chinese by character), for groundedness in \
            the passages, for citing the gold source and for latency. Each adapter is compared with the base \
            question by question: a Wilcoxon signed-rank test and a 95% bootstrap interval of the difference give \
            a verdict per metric (better, worse or indistinguishable). The general questions (--general) are then \
            asked of every arm without retrieval, to count the answers the adapter changed and those that stayed \
            correct. Writes OUT/report.html, OUT/report.json and prints a summary.
            """)

    @Argument(help: "The question file (JSON lines of {\"id\", \"question\", \"answer\", \"source\", \"heading\"}).")
    var questions: String

    @OptionGroup var answering: AnsweringOptions

    @Option(
        name: .customLong("adapter"),
        help: ArgumentHelp(
            "An adapter to compare with the base: a name in the adapters folder (--adapters), or an adapter folder. "
                + "Repeat for more arms.",
            valueName: "name|dir"))
    var adapterArguments: [String] = []

    @Option(help: ArgumentHelp("Folder for report.html and report.json.", valueName: "dir"))
    var out = "data/ab"

    @Option(
        help: ArgumentHelp(
            "General questions asked without retrieval (JSON lines of {\"id\", \"question\", \"answer\", "
                + "\"alternatives\"?}).",
            discussion: "Default: corpora/general.jsonl when it exists.", valueName: "file"))
    var general: String?

    @Flag(help: "Skip the general-ability check.")
    var noGeneral = false

    @Option(help: "Passages to retrieve per question (1 to \(AnswerRequest.maximumK)).")
    var k = 4

    @Option(help: "Most tokens per answer.")
    var maxTokens = 128

    @Option(help: "Most tokens per answer to a general question.")
    var generalMaxTokens = 48

    @Option(help: "Sampling temperature, the same for every arm (0: greedy).")
    var temperature: Float = 0

    @Option(help: "Sampling seed, the same for every arm.")
    var seed: UInt64 = 0

    @Option(help: "Only the first N questions of each file.")
    var limit: Int?

    static let defaultGeneral = "corpora/general.jsonl"

    func validate() throws {
        guard !adapterArguments.isEmpty else {
            throw ValidationError("Name at least one adapter to compare with the base: --adapter NAME.")
        }
        let names = adapterArguments.map(Self.armName)
        if let taken = names.first(where: { $0 == ComparisonArm.baseName }) {
            throw ValidationError("An adapter cannot be called '\(taken)': that is the base model's arm.")
        }
        guard Set(names).count == names.count else {
            throw ValidationError("Each --adapter must be a different adapter, got \(names.joined(separator: ", ")).")
        }
        guard (1...AnswerRequest.maximumK).contains(k) else {
            throw ValidationError("--k must be between 1 and \(AnswerRequest.maximumK), got \(k).")
        }
        guard maxTokens >= 1, generalMaxTokens >= 1 else {
            throw ValidationError("--max-tokens and --general-max-tokens must be 1 or more.")
        }
        guard temperature.isFinite, temperature >= 0 else {
            throw ValidationError("--temperature must be 0 or more, got \(temperature).")
        }
        if let limit, limit < 1 { throw ValidationError("--limit must be 1 or more, got \(limit).") }
        if noGeneral, general != nil { throw ValidationError("--general and --no-general contradict each other.") }
    }

    /// An arm's name: the adapter's name, or the last component of its folder.
    static func armName(_ argument: String) -> String {
        URL(fileURLWithPath: argument).standardizedFileURL.lastPathComponent
    }

    func run() async throws {
        var set = try RetrievalEvaluation.loadQuestions(URL(fileURLWithPath: questions))
        if let limit { set = Array(set.prefix(limit)) }
        guard !set.isEmpty else { throw CommandError(message: "\(questions) holds no questions") }
        let generalFile = noGeneral ? nil : general ?? Self.existing(Self.defaultGeneral)
        var generalSet = try generalFile.map { try GeneralQuestion.load(URL(fileURLWithPath: $0)) }
        if let limit { generalSet = generalSet.map { Array($0.prefix(limit)) } }

        // Adapters are found before the models load, so that a wrong name fails at once.
        let sources = try adapterArguments.map { argument in
            ComparisonSettings.AdapterSource(
                name: Self.armName(argument), path: try answering.adapterFolder(argument).path)
        }
        let components = try answering.load(queue: AdmissionQueue(slots: 1, maxWaiting: 0))
        let arms = try sources.map { source in
            let adapter = try AdapterLoader.load(
                directory: URL(fileURLWithPath: source.path), base: components.model.configuration, name: source.name)
            return ComparisonArm(name: source.name, adapters: [ActiveAdapter(adapter)])
        }
        let sampling = SamplingOptions(temperature: temperature, seed: seed)
        let comparison = OfflineComparison(
            answerer: components.answerer, adapters: arms, k: k,
            generation: GenerationOptions(maxTokens: maxTokens, sampling: sampling),
            generalGeneration: GenerationOptions(maxTokens: generalMaxTokens, sampling: sampling))

        let clock = ContinuousClock()
        let started = clock.now
        let armCount = comparison.arms.count
        let compared = try await comparison.answer(set) { done in
            Self.progress("answered \(done)/\(set.count) questions × \(armCount) arms")
        }
        var generalCompared: [GeneralComparedQuestion]?
        if let generalSet {
            Self.progress("\n")
            generalCompared = try await comparison.answer(general: generalSet) { done in
                Self.progress("answered \(done)/\(generalSet.count) general questions × \(armCount) arms")
            }
        }
        Self.progress("\n")

        let settings = ComparisonSettings(
            questionsFile: questions, model: components.model.name, embedder: components.embedder.name,
            collection: components.collection.directory.path, adapters: sources, k: k, maxTokens: maxTokens,
            temperature: temperature, seed: seed, generalFile: generalSet == nil ? nil : generalFile,
            generalMaxTokens: generalMaxTokens, threads: components.model.threadCount)
        let report = try ComparisonReport(
            settings: settings, arms: comparison.arms.map(\.name), questions: compared, general: generalCompared,
            elapsedSeconds: (clock.now - started).seconds)
        try write(report)
        print(report.summaryText(reportDirectory: out))
    }

    /// Writes report.json and report.html into `out`, each whole or not at all.
    private func write(_ report: ComparisonReport) throws {
        let folder = URL(fileURLWithPath: out)
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try JSONOutput.data(report, pretty: true).write(
                to: folder.appendingPathComponent("report.json"), options: .atomic)
            try Data(report.html().utf8).write(to: folder.appendingPathComponent("report.html"), options: .atomic)
        } catch {
            throw CommandError(message: "cannot write the report into \(folder.path): \(error.localizedDescription)")
        }
    }

    /// `path` when a file is there.
    private static func existing(_ path: String) -> String? {
        FileManager.default.fileExists(atPath: path) ? path : nil
    }

    /// A progress line on standard error, rewritten in place.
    private static func progress(_ text: String) {
        FileHandle.standardError.write(Data((text == "\n" ? text : "\r" + text).utf8))
    }
}
