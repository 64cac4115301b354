import ArgumentParser
import Embedder
import Foundation

/// Options shared by every command that loads the sentence encoder.
struct EmbedderOptions: ParsableArguments {
    @Option(
        name: .customLong("model"),
        help: ArgumentHelp(
            "A sentence-transformers model folder (BERT family).",
            discussion: "Default: models/all-MiniLM-L6-v2, installed by `make models`.",
            valueName: "dir"))
    var modelFolder: String?

    @Option(help: "Threads to use, 1 or more (default: every core available).")
    var threads: Int?

    func validate() throws {
        if let threads, threads < 1 {
            throw ValidationError("--threads must be 1 or more, got \(threads).")
        }
    }

    func load() throws -> SentenceEmbedder {
        let folder = modelFolder.map { URL(fileURLWithPath: $0) } ?? ModelLocation.defaultEmbedder
        return try SentenceEmbedder(folder: folder, threads: threads)
    }
}
