import AdapterLoader
import ArgumentParser
import Foundation
import LanguageModel
import RAG

/// `rag ask`: one grounded answer from the command line, with its sources.
struct AskCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ask", abstract: "Answer a question from the collection, citing the manuals.")

    @Argument(help: "The question.")
    var question: String

    @OptionGroup var answering: AnsweringOptions

    @Option(
        help: ArgumentHelp(
            "A LoRA adapter: a name in the adapters folder, or an adapter folder.", valueName: "name|dir"))
    var adapter: String?

    @Option(help: "Passages to retrieve.")
    var k = 4

    @Option(help: "Most tokens in the answer.")
    var maxTokens = 256

    @Option(help: "Sampling temperature (0: greedy).")
    var temperature: Float = 0

    @Option(help: "Seed for sampling.")
    var seed: UInt64 = 0

    @Flag(help: "Print one JSON object instead of text.")
    var json = false

    func validate() throws {
        guard (1...AnswerRequest.maximumK).contains(k) else {
            throw ValidationError("--k must be between 1 and \(AnswerRequest.maximumK), got \(k).")
        }
        guard maxTokens >= 1 else { throw ValidationError("--max-tokens must be 1 or more, got \(maxTokens).") }
    }

    func run() async throws {
        let components = try answering.load(queue: AdmissionQueue(slots: 1, maxWaiting: 0))
        var generation = GenerationOptions(
            maxTokens: maxTokens, sampling: SamplingOptions(temperature: temperature, seed: seed))
        if let adapter {
            let folder = try answering.adapterFolder(adapter)
            generation.adapters = [
                ActiveAdapter(try AdapterLoader.load(directory: folder, base: components.model.configuration))
            ]
        }
        let request = AnswerRequest(question: question, k: k, generation: generation)
        let prepared = try await components.answerer.prepare(request)
        var answer: Answer?
        for try await event in prepared.events() {
            switch event {
            case .passages: break
            case .text(let piece):
                if !json { FileHandle.standardOutput.write(Data(piece.utf8)) }
            case .finished(let finished): answer = finished
            }
        }
        guard let answer else { throw CancellationError() }
        if json {
            try JSONOutput.print(AskOutput(question: question, answer: answer))
            return
        }
        print("")
        if !answer.citations.isEmpty {
            print("\nSources:")
            for citation in answer.citations {
                let place = citation.heading.isEmpty ? citation.source : "\(citation.source) — \(citation.heading)"
                print("  [\(citation.number)] \(place)\(citation.inferred ? " (inferred)" : "")")
            }
        }
        if !answer.unsupportedSentences.isEmpty {
            print("\nNot supported by the passages:")
            for sentence in answer.unsupportedSentences { print("  - \(sentence)") }
        }
        let timings = answer.timings
        print(
            String(
                format: "\n(retrieval %.0f ms, first token %.0f ms, total %.0f ms, %d prompt + %d answer tokens)",
                timings.retrievalMilliseconds, timings.timeToFirstTokenMilliseconds, timings.totalMilliseconds,
                answer.usage.promptTokens, answer.usage.completionTokens))
    }
}

/// `rag ask --json`.
struct AskOutput: Encodable {
    var question: String
    var answer: String
    var covered: Bool
    var citations: [Citation]
    var passages: [Passage]
    var unsupportedSentences: [String]
    var usage: TokenUsage
    var timings: AnswerTimings

    init(question: String, answer: Answer) {
        self.question = question
        self.answer = answer.text
        covered = answer.covered
        citations = answer.citations
        passages = answer.passages
        unsupportedSentences = answer.unsupportedSentences
        usage = answer.usage
        timings = answer.timings
    }
}
