import ArgumentParser
import Foundation
import RAG
import VectorIndex

/// `rag bench ingest`: end-to-end ingest speed on copies of the sample corpus, by stage.
struct BenchIngestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Chunks/s of a full ingest of --copies copies of a corpus, and where the time goes.",
        discussion: "Copies the corpus into a temporary folder and ingests it into a temporary collection.")

    @OptionGroup var embedder: EmbedderOptions

    @Option(help: "The corpus folder to copy.", completion: .directory)
    var corpus = "corpora/aurora-x2"

    @Option(help: "Copies of the corpus, 1 to 1000.")
    var copies = 11

    @Flag(help: "Print one JSON object.")
    var json = false

    func validate() throws {
        if !(1...1000).contains(copies) { throw ValidationError("--copies must be between 1 and 1000, got \(copies).") }
    }

    struct Report: Encodable {
        var files: Int
        var chunks: Int
        var seconds: Double
        var chunksPerSecond: Double
        var stages: IngestSummary.StageSeconds
        var threads: Int
    }

    func run() async throws {
        let manager = FileManager.default
        let root = manager.temporaryDirectory.appendingPathComponent("rag-bench-ingest-\(UUID().uuidString)")
        defer { try? manager.removeItem(at: root) }
        let source = URL(fileURLWithPath: corpus)
        guard manager.fileExists(atPath: source.path) else {
            throw CommandError(message: "no corpus folder at \(corpus)")
        }
        for copy in 0..<copies {
            try manager.copyItem(at: source, to: root.appendingPathComponent("docs/copy\(copy)"))
        }
        let model = try embedder.load()
        let collection = try DocumentCollection(
            directory: root.appendingPathComponent("collection"), embedder: model.name, dimension: model.dimension)
        let ingestor = Ingestor(embedder: model, collection: collection)
        let summary = try ingestor.ingest(paths: [root.appendingPathComponent("docs").path])
        let report = Report(
            files: summary.added, chunks: summary.chunks, seconds: summary.seconds,
            chunksPerSecond: Double(summary.chunks) / max(summary.seconds, 1e-9), stages: summary.stages,
            threads: model.threadCount)
        if json { return try JSONOutput.print(report) }
        print(
            "\(report.files) files, \(report.chunks) chunks in "
                + String(format: "%.1f s: %.1f chunks/s", report.seconds, report.chunksPerSecond))
        print(
            String(
                format: "read %.2f s, chunk %.2f s, embed %.2f s, write %.2f s", summary.stages.read,
                summary.stages.chunk,
                summary.stages.embed, summary.stages.write))
    }
}
