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

    @Option(
        help: ArgumentHelp(
            "Matrix products: exact (float32) or fast (8-bit integer, about 1.5x the throughput, cosine >= 0.999 to exact).",
            valueName: "exact|fast"))
    var precision: PrecisionArgument?

    @Flag(help: "Same as --precision fast.")
    var fast = false

    func validate() throws {
        if let threads, threads < 1 {
            throw ValidationError("--threads must be 1 or more, got \(threads).")
        }
        if fast, let precision, precision != .fast {
            throw ValidationError("--fast contradicts --precision \(precision.rawValue); give one of them.")
        }
    }

    /// The precision asked for: --precision, --fast, else `fallback`.
    func requestedPrecision(or fallback: EmbeddingPrecision = .exact) -> EmbeddingPrecision {
        if fast { return .fast }
        return precision?.value ?? fallback
    }

    /// Loads the encoder; `precision` overrides what the options ask for.
    func load(precision override: EmbeddingPrecision? = nil) throws -> SentenceEmbedder {
        let folder = modelFolder.map { URL(fileURLWithPath: $0) } ?? ModelLocation.defaultEmbedder
        return try SentenceEmbedder(folder: folder, threads: threads, precision: override ?? requestedPrecision())
    }
}

/// `EmbeddingPrecision` as a command-line value.
enum PrecisionArgument: String, ExpressibleByArgument, CaseIterable {
    case exact
    case fast

    var value: EmbeddingPrecision {
        switch self {
        case .exact: return .exact
        case .fast: return .fast
        }
    }
}
