import ArgumentParser
import Foundation
import RAG

#if canImport(Glibc)
    import Glibc
#endif

/// `rag ingest`: add manuals to a collection, incrementally.
struct IngestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Add or update the documents under PATH... in a collection.",
        discussion: """
            Reads .txt, .md, .html and .pdf files; other files are skipped and listed. Unchanged files are
            skipped, changed ones re-chunked (only changed chunks are re-embedded).
            """
    )

    @OptionGroup var embedder: EmbedderOptions
    @OptionGroup var collection: CollectionOptions

    @Argument(help: "Files or folders to ingest.")
    var paths: [String]

    @Flag(help: "Delete documents under PATH... whose files are gone.")
    var prune = false

    @Flag(help: "Show what would be added, updated and removed; change nothing.")
    var dryRun = false

    @Flag(help: "Print the summary as one JSON object.")
    var json = false

    @Option(help: "Target chunk size in embedder tokens (16 to the embedder's maximum).")
    var chunkTokens = 200

    @Option(help: "Tokens repeated between neighbouring chunks (0 to half the chunk size).")
    var overlapTokens = 40

    func validate() throws {
        if paths.isEmpty { throw ValidationError("Give at least one file or folder to ingest.") }
        if chunkTokens < 16 { throw ValidationError("--chunk-tokens must be at least 16, got \(chunkTokens).") }
        if overlapTokens < 0 || overlapTokens > chunkTokens / 2 {
            throw ValidationError(
                "--overlap-tokens must be between 0 and half of --chunk-tokens, got \(overlapTokens).")
        }
    }

    func run() async throws {
        let model = try embedder.load()
        let store = try collection.open(for: model)
        let ingestor = Ingestor(
            embedder: model, collection: store,
            chunking: ChunkingOptions(targetTokens: chunkTokens, overlapTokens: overlapTokens, maximumTokens: 100_000))
        let reporter = ProgressReporter(interactive: isatty(STDERR_FILENO) == 1)
        let summary = try ingestor.ingest(paths: paths, prune: prune, dryRun: dryRun) { reporter.report($0) }
        reporter.finish()
        if json {
            try JSONOutput.print(summary)
        } else {
            let verb = dryRun ? "would be" : ""
            print(
                "\(summary.added) added, \(summary.updated) updated, \(summary.unchanged) unchanged, "
                    + "\(summary.skipped) skipped, \(summary.removed) removed\(verb.isEmpty ? "" : " (dry run)"); "
                    + "\(summary.chunks) chunks (\(summary.embedded) embedded) in "
                    + String(format: "%.1f s", summary.seconds))
            for file in summary.skippedFiles { print("skipped \(file.path): \(file.reason)") }
        }
    }
}

/// Ingest progress on standard error: a redrawn bar on a terminal, a line per tenth otherwise.
final class ProgressReporter: @unchecked Sendable {
    let interactive: Bool
    private var lastDecile = -1
    private var drew = false

    init(interactive: Bool) { self.interactive = interactive }

    func report(_ progress: IngestProgress) {
        let fraction = Double(progress.filesDone) / Double(max(progress.filesTotal, 1))
        let rate = progress.seconds > 0 ? Double(progress.chunks) / progress.seconds : 0
        let eta = fraction > 0 ? progress.seconds / fraction - progress.seconds : 0
        let counts =
            "\(progress.filesDone)/\(progress.filesTotal) files, \(progress.chunks) chunks, "
            + String(format: "%.1f chunks/s, ETA %.0f s", rate, eta)
        if interactive {
            let width = 24
            let filled = Int(fraction * Double(width))
            let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
            FileHandle.standardError.write(Data("\r[\(bar)] \(counts)\u{1B}[K".utf8))
            drew = true
        } else {
            let decile = Int(fraction * 10)
            if decile != lastDecile {
                lastDecile = decile
                FileHandle.standardError.write(Data("ingest: \(counts)\n".utf8))
            }
        }
    }

    func finish() {
        if drew { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}
