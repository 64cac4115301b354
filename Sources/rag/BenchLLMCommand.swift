import ArgumentParser
import Foundation
import LanguageModel

#if canImport(Glibc)
    import Glibc
#endif

/// `rag bench llm`: prompt processing and decoding speed of the language model, and its memory.
struct BenchLLMCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "llm",
        abstract: "Prefill tokens/s, decode tokens/s, time to first token and peak memory of the language model.",
        discussion: """
            Builds a prompt of exactly --prompt-tokens tokens from generated text (or takes the ids of \
            --prompt-ids-file, one JSON array, so that a peer runtime can be given the very same tokens), \
            processes it, then generates --new-tokens tokens greedily without stopping at end-of-text. \
            --write-prompt-ids saves the ids and exits.
            """)

    @OptionGroup var model: LanguageModelOptions
    @OptionGroup var adapter: AdapterOptions

    @Option(help: "Prompt length in tokens.")
    var promptTokens = 512

    @Option(help: "Tokens to generate.")
    var newTokens = 128

    @Option(help: "Worker threads (default: all cores).")
    var threads: Int?

    @Option(help: "Read the prompt's token ids (a JSON array) from this file.", completion: .file())
    var promptIdsFile: String?

    @Option(help: "Write the prompt's token ids (a JSON array) to this file and exit.", completion: .file())
    var writePromptIds: String?

    @Flag(help: "Print one JSON object.")
    var json = false

    func validate() throws {
        if promptTokens < 1 { throw ValidationError("--prompt-tokens must be 1 or more, got \(promptTokens).") }
        if newTokens < 1 { throw ValidationError("--new-tokens must be 1 or more, got \(newTokens).") }
        if let threads, threads < 1 { throw ValidationError("--threads must be 1 or more, got \(threads).") }
    }

    struct Report: Encodable {
        var model: String
        var precision: String
        var adapters: [String]
        var threads: Int
        var promptTokens: Int
        var newTokens: Int
        var prefillTokensPerSecond: Double
        var decodeTokensPerSecond: Double
        /// The median time of one decoding step: steady under other processes' bursts of work,
        /// which the mean is not on a shared machine.
        var decodeMedianTokenMilliseconds: Double
        /// Processor time of the whole process per decoding step: with one thread it counts only the
        /// work done, however busy the cores are; with more it adds what the workers spend spinning.
        var decodeCPUMillisecondsPerToken: Double
        var timeToFirstTokenMilliseconds: Double
        var peakResidentMegabytes: Double
        /// The process's resident memory just before the model loads: its code and runtime, which
        /// the peak includes and a model of any size adds to.
        var residentBeforeLoadMegabytes: Double
        var fileMegabytes: Double
        var kvCacheMegabytes: Double
    }

    func run() async throws {
        let url = model.url
        let ids: [Int]
        if let promptIdsFile {
            let data = try Data(contentsOf: URL(fileURLWithPath: promptIdsFile))
            guard let array = try JSONSerialization.jsonObject(with: data) as? [Int], !array.isEmpty else {
                throw ValidationError("--prompt-ids-file \(promptIdsFile) must hold a JSON array of token ids.")
            }
            ids = array
        } else {
            let tokenizer = try LanguageModel.loadTokenizer(url: url)
            var generator = PassageGenerator(seed: 11)
            var tokens: [Int] = []
            while tokens.count < promptTokens { tokens += tokenizer.encode(generator.passage(words: 200) + "\n") }
            ids = Array(tokens.prefix(promptTokens))
        }
        if let writePromptIds {
            try Data(("[" + ids.map(String.init).joined(separator: ",") + "]\n").utf8)
                .write(to: URL(fileURLWithPath: writePromptIds))
            return
        }
        let residentBeforeLoad = Self.residentMegabytes
        let loaded = try model.load(threads: threads)
        // Warm-up: page the weights in and start the workers.
        _ = try loaded.makeSession(capacity: 8).prefill(Array(ids.prefix(8)))

        let adapters = try adapter.load(for: loaded)
        let session = try loaded.makeSession(capacity: ids.count + newTokens, adapters: adapters)
        let clock = ContinuousClock()
        let start = clock.now
        var logits = session.prefill(ids)
        let prefill = clock.now - start
        var token = Self.argmax(logits)
        let firstToken = clock.now - start
        let decodeStart = clock.now
        let cpuStart = Self.processorSeconds
        var steps: [Double] = []
        for _ in 1..<newTokens {
            let stepStart = clock.now
            logits = session.step(token)
            steps.append((clock.now - stepStart).seconds)
            token = Self.argmax(logits)
        }
        let decode = clock.now - decodeStart
        let cpu = Self.processorSeconds - cpuStart
        let attributes = try? FileManager.default.attributesOfItem(atPath: url.path)
        let report = Report(
            model: loaded.name, precision: model.precision, adapters: adapters.map(\.adapter.name),
            threads: loaded.threadCount,
            promptTokens: ids.count, newTokens: newTokens,
            prefillTokensPerSecond: Double(ids.count) / prefill.seconds,
            decodeTokensPerSecond: Double(newTokens - 1) / max(decode.seconds, 1e-9),
            decodeMedianTokenMilliseconds: steps.isEmpty ? 0 : steps.sorted()[steps.count / 2] * 1000,
            decodeCPUMillisecondsPerToken: cpu * 1000 / Double(max(1, newTokens - 1)),
            timeToFirstTokenMilliseconds: firstToken.seconds * 1000, peakResidentMegabytes: Self.peakResidentMegabytes,
            residentBeforeLoadMegabytes: residentBeforeLoad,
            fileMegabytes: Double((attributes?[.size] as? Int) ?? 0) / 1_048_576,
            kvCacheMegabytes: Double(session.cacheBytes) / 1_048_576)
        if json { return try JSONOutput.print(report) }
        print(
            "model \(report.model), \(report.precision), \(report.threads) threads"
                + (report.adapters.isEmpty ? "" : ", adapters \(report.adapters.joined(separator: ", "))"))
        print(
            String(
                format: "prefill %d tokens: %.1f tokens/s (first token %.0f ms)", report.promptTokens,
                report.prefillTokensPerSecond, report.timeToFirstTokenMilliseconds))
        print(
            String(
                format: "decode %d tokens: %.1f tokens/s (median step %.2f ms, %.2f ms of processor time per step)",
                newTokens, report.decodeTokensPerSecond, report.decodeMedianTokenMilliseconds,
                report.decodeCPUMillisecondsPerToken))
        print(
            String(
                format: "peak resident %.0f MiB (%.0f MiB before the model loaded; file %.0f MiB, KV cache %.1f MiB)",
                report.peakResidentMegabytes, report.residentBeforeLoadMegabytes, report.fileMegabytes,
                report.kvCacheMegabytes))
    }

    static func argmax(_ logits: [Float]) -> Int {
        var best = 0
        for index in logits.indices where logits[index] > logits[best] { best = index }
        return best
    }

    /// User and system processor time of the process so far.
    static var processorSeconds: Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }

    /// The process's resident set now (the second field of /proc/self/statm, in pages); 0 where
    /// there is no /proc.
    static var residentMegabytes: Double {
        guard let statm = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8),
            let pages = statm.split(separator: " ").dropFirst().first.flatMap({ Double($0) })
        else { return 0 }
        return pages * Double(sysconf(Int32(_SC_PAGESIZE))) / 1_048_576
    }

    /// The process's peak resident set (ru_maxrss, in KiB on Linux).
    static var peakResidentMegabytes: Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_maxrss) / 1024
    }
}
