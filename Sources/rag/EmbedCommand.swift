import ArgumentParser
import Embedder
import Foundation

/// `rag embed`: sentence embeddings as JSON lines.
struct EmbedCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "embed",
        abstract: "Print the sentence embedding of each text as one JSON object per line.",
        discussion: """
            Each line is {"index": i, "tokens": n, "embedding": [...]}, in the order of the input.
            Texts come from the arguments, or with --jsonl from standard input, one per line, each a
            JSON string or an object {"text": "..."}.
            """
    )

    @OptionGroup var embedder: EmbedderOptions

    @Flag(help: "Read texts from standard input, one JSON string or {\"text\": ...} object per line.")
    var jsonl = false

    @Option(help: "Texts per batch, 1 to 1024.")
    var batchSize = 32

    @Argument(help: "Texts to embed.")
    var texts: [String] = []

    func validate() throws {
        if jsonl && !texts.isEmpty {
            throw ValidationError("Give texts either as arguments or with --jsonl on standard input, not both.")
        }
        if !jsonl && texts.isEmpty {
            throw ValidationError("Give at least one text to embed, or --jsonl to read them from standard input.")
        }
        if !(1...1024).contains(batchSize) {
            throw ValidationError("--batch-size must be between 1 and 1024, got \(batchSize).")
        }
    }

    func run() async throws {
        let inputs = jsonl ? try JSONLinesInput.read(from: FileHandle.standardInput) : texts
        let model = try embedder.load()
        let embeddings = model.embed(inputs, batchSize: batchSize)
        var output = ""
        for (index, embedding) in embeddings.enumerated() {
            output += EmbeddingLine.render(index: index, embedding: embedding)
            output += "\n"
            if output.utf8.count > 1 << 16 {
                FileHandle.standardOutput.write(Data(output.utf8))
                output = ""
            }
        }
        FileHandle.standardOutput.write(Data(output.utf8))
    }
}

/// One output line of `rag embed`.
enum EmbeddingLine {
    /// Floats are written in their shortest round-trip form.
    static func render(index: Int, embedding: SentenceEmbedding) -> String {
        var line = "{\"index\":\(index),\"tokens\":\(embedding.tokenCount),\"embedding\":["
        line.reserveCapacity(embedding.vector.count * 12 + 48)
        for (position, value) in embedding.vector.enumerated() {
            if position > 0 { line += "," }
            line += value.isFinite ? "\(value)" : "null"
        }
        line += "]}"
        return line
    }
}
