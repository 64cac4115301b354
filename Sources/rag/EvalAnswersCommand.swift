import AdapterLoader
import ArgumentParser
import Foundation
import LanguageModel
import RAG

/// `rag eval answers QA.jsonl`: every question answered end to end, scored against its reference.
struct EvalAnswersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "answers",
        abstract: "Answer a question file and report citations of the right manual, key facts and latency.",
        discussion: """
            Each line of QA.jsonl is {"id", "question", "answer", "source", "heading"}. An answer cites the gold \
            source when a citation's document ends with "source"; it holds the key facts when it states every \
            number and code of the reference answer that the question does not name already (or, for a reference \
            without any, half of its content words).
            """)

    @Argument(help: "The question file (JSON lines).", completion: .file())
    var questions: String

    @OptionGroup var answering: AnsweringOptions

    @Option(
        help: ArgumentHelp(
            "A LoRA adapter to answer through: a name in the adapters folder (--adapters), or an adapter folder.",
            valueName: "name|dir"))
    var adapter: String?

    @Option(help: "Passages to retrieve.")
    var k = 4

    @Option(help: "Most tokens per answer.")
    var maxTokens = 128

    @Option(help: "Only the first N questions.")
    var limit: Int?

    @Flag(help: "Print one JSON object with the scores and every answer.")
    var json = false

    struct Output: Encodable {
        var scores: AnswerScores
        var threads: Int
        var outcomes: [AnswerOutcome]
    }

    func run() async throws {
        var set = try RetrievalEvaluation.loadQuestions(URL(fileURLWithPath: questions))
        if let limit { set = Array(set.prefix(max(0, limit))) }
        let components = try answering.load(queue: AdmissionQueue(slots: 1, maxWaiting: 0))
        var generation = GenerationOptions(maxTokens: maxTokens)
        if let adapter {
            generation.adapters = [
                ActiveAdapter(
                    try AdapterLoader.load(
                        directory: try answering.adapterFolder(adapter), base: components.model.configuration))
            ]
        }
        let outcomes = try await AnswerEvaluation.outcomes(
            set, answerer: components.answerer, request: AnswerRequest(question: "", k: k, generation: generation)
        ) { done in
            if !json { FileHandle.standardError.write(Data("\ranswered \(done)/\(set.count)".utf8)) }
        }
        let scores = AnswerScores(outcomes)
        if json {
            try JSONOutput.print(Output(scores: scores, threads: components.model.threadCount, outcomes: outcomes))
            return
        }
        FileHandle.standardError.write(Data("\n".utf8))
        print(
            String(
                format: """
                    %d questions, %d threads
                    cites the gold source   %.3f
                    holds the key facts     %.3f
                    covered                 %.3f
                    quotes the best passage %d
                    unsupported sentences   %.3f of answers
                    ROUGE-L F1              %.3f [%.3f, %.3f]
                    token F1                %.3f [%.3f, %.3f]
                    BLEU                    %.3f [%.3f, %.3f]
                    groundedness            %.3f [%.3f, %.3f]
                    prefilled tokens        median %.0f
                    time to first token     median %.0f ms, p95 %.0f ms
                    total                   median %.0f ms, p95 %.0f ms
                    """, scores.questions, components.model.threadCount, scores.citesGoldSource,
                scores.containsKeyFacts, scores.covered, scores.quotingPassage, scores.withUnsupportedSentences,
                scores.metrics.rougeL.mean,
                scores.metrics.rougeL.lower,
                scores.metrics.rougeL.upper, scores.metrics.tokenF1.mean, scores.metrics.tokenF1.lower,
                scores.metrics.tokenF1.upper, scores.metrics.bleu.mean, scores.metrics.bleu.lower,
                scores.metrics.bleu.upper, scores.metrics.groundedness.mean, scores.metrics.groundedness.lower,
                scores.metrics.groundedness.upper, scores.prefilledTokensMedian,
                scores.timeToFirstTokenMedianMilliseconds,
                scores.timeToFirstTokenP95Milliseconds, scores.totalMedianMilliseconds, scores.totalP95Milliseconds))
    }
}
