import ArgumentParser
import Foundation
import Kernels
import LanguageModel

/// Options of every command that loads the language model.
struct LanguageModelOptions: ParsableArguments {
    @Option(
        name: .customLong("model"),
        help: ArgumentHelp(
            "A GGUF language model (llama or qwen2 architecture).",
            discussion: "Default: models/\(ModelLocation.defaultGeneratorFile), installed by `make models`.",
            valueName: "file"))
    var modelFile: String?

    @Option(
        help: ArgumentHelp(
            "fast: 8-bit activations in the quantised products, as llama.cpp; reference: float32 throughout.",
            valueName: "precision"))
    var precision = "fast"

    func validate() throws {
        guard ["fast", "reference"].contains(precision) else {
            throw ValidationError("--precision must be fast or reference, got '\(precision)'.")
        }
    }

    var url: URL { modelFile.map { URL(fileURLWithPath: $0) } ?? ModelLocation.defaultGenerator }

    func load(threads: Int? = nil) throws -> LanguageModel {
        try LanguageModel(url: url, precision: precision == "fast" ? .int8 : .float32, threads: threads)
    }
}
