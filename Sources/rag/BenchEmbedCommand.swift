import ArgumentParser
import Dispatch
import Embedder
import Foundation

/// `rag bench embed`: passages per second and the latency of a single query.
struct BenchEmbedCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "embed",
        abstract: "Embedding throughput on generated passages and single-query latency.",
        discussion: """
            Embeds --count generated passages of about --words words in batches of --batch-size,
            then times one query of --query-words words --query-runs times and reports the median.
            --mode exact times float32 products, --mode fast the 8-bit integer ones (the same as
            --precision).
            --write-texts saves the query (first line) and the passages as JSON lines, so that a peer
            library can embed the very same texts; --texts reads such a file back.
            """
    )

    @OptionGroup var embedder: EmbedderOptions

    @Option(help: "Passages to embed, 1 or more.")
    var count = 1000

    @Option(help: "Words per generated passage, 1 or more.")
    var words = 180

    @Option(help: "Texts per batch, 1 to 1024.")
    var batchSize = 32

    @Option(help: "Words in the single query.")
    var queryWords = 15

    @Option(help: "Times the single query is embedded; the median is reported.")
    var queryRuns = 50

    @Option(help: "Embed the texts of this JSON-lines file instead of generated passages.", completion: .file())
    var texts: String?

    @Option(help: "Write the generated passages and the query to this JSON-lines file and exit.", completion: .file())
    var writeTexts: String?

    @Flag(help: "Print one JSON object instead of lines for people.")
    var json = false

    @Option(help: ArgumentHelp("exact (float32 products) or fast (8-bit integer products).", valueName: "exact|fast"))
    var mode: PrecisionArgument?

    func validate() throws {
        if count < 1 { throw ValidationError("--count must be 1 or more, got \(count).") }
        if words < 1 { throw ValidationError("--words must be 1 or more, got \(words).") }
        if queryWords < 1 { throw ValidationError("--query-words must be 1 or more, got \(queryWords).") }
        if queryRuns < 1 { throw ValidationError("--query-runs must be 1 or more, got \(queryRuns).") }
        if !(1...1024).contains(batchSize) {
            throw ValidationError("--batch-size must be between 1 and 1024, got \(batchSize).")
        }
        if let mode, embedder.fast || embedder.precision != nil,
            embedder.requestedPrecision() != mode.value
        {
            throw ValidationError("--mode \(mode.rawValue) contradicts --precision/--fast; give one of them.")
        }
    }

    func run() async throws {
        var generator = PassageGenerator(seed: 42)
        var query = generator.passage(words: queryWords)
        var passages: [String]
        if let texts {
            guard let handle = FileHandle(forReadingAtPath: texts) else {
                throw ValidationError("Cannot open --texts file \(texts).")
            }
            let lines = try JSONLinesInput.read(from: handle)
            guard lines.count >= 2 else {
                throw ValidationError(
                    "--texts file \(texts) needs the query on its first line and at least one passage after it.")
            }
            query = lines[0]
            passages = Array(lines.dropFirst())
        } else {
            passages = (0..<count).map { _ in generator.passage(words: words) }
        }
        if let writeTexts {
            let lines = ([query] + passages).map { JSONLinesInput.encode($0) }.joined(separator: "\n") + "\n"
            try Data(lines.utf8).write(to: URL(fileURLWithPath: writeTexts))
            return
        }

        let model = try embedder.load(precision: mode?.value)
        _ = model.embed(Array(passages.prefix(model.threadCount * 2)), batchSize: batchSize)  // warm-up
        let start = DispatchTime.now().uptimeNanoseconds
        let embeddings = model.embed(passages, batchSize: batchSize)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let tokens = embeddings.reduce(0) { $0 + $1.tokenCount }

        for _ in 0..<3 { _ = model.embed(query) }
        var latencies: [Double] = []
        for _ in 0..<queryRuns {
            let begin = DispatchTime.now().uptimeNanoseconds
            _ = model.embed(query)
            latencies.append(Double(DispatchTime.now().uptimeNanoseconds - begin) / 1e6)
        }
        latencies.sort()
        let median = latencies[latencies.count / 2]

        let report = EmbedBenchReport(
            model: model.name, mode: model.precision.rawValue, threads: model.threadCount, batchSize: batchSize,
            texts: passages.count, tokens: tokens, seconds: seconds,
            textsPerSecond: Double(passages.count) / seconds, tokensPerSecond: Double(tokens) / seconds,
            queryTokens: model.tokenIDs(query).count, queryMedianMilliseconds: median,
            queryP90Milliseconds: latencies[min(latencies.count - 1, latencies.count * 9 / 10)])
        if json {
            try JSONOutput.print(report)
        } else {
            print("model \(report.model), \(report.threads) threads, batch \(report.batchSize), mode \(report.mode)")
            print(
                String(
                    format: "%d texts, %d tokens in %.2f s: %.1f texts/s, %.0f tokens/s", report.texts, report.tokens,
                    seconds, report.textsPerSecond, report.tokensPerSecond))
            print(
                String(
                    format: "single query (%d tokens): median %.2f ms, p90 %.2f ms", report.queryTokens, median,
                    report.queryP90Milliseconds))
        }
    }
}

/// What `rag bench embed --json` prints.
struct EmbedBenchReport: Codable {
    var model: String
    var mode: String
    var threads: Int
    var batchSize: Int
    var texts: Int
    var tokens: Int
    var seconds: Double
    var textsPerSecond: Double
    var tokensPerSecond: Double
    var queryTokens: Int
    var queryMedianMilliseconds: Double
    var queryP90Milliseconds: Double
}
