import AdapterLoader
import ArgumentParser
import Foundation
import LanguageModel

/// `--adapter DIR[:WEIGHT]`, repeatable: LoRA adapters to apply, each with an optional weight.
struct AdapterOptions: ParsableArguments {
    @Option(
        name: .customLong("adapter"),
        help: ArgumentHelp(
            "A PEFT LoRA adapter folder, optionally with a weight (DIR:0.5). Repeat to mix adapters.",
            valueName: "dir[:weight]"))
    var adapters: [String] = []

    /// The folder and weight of each `--adapter`.
    var specifications: [(directory: URL, weight: Float)] {
        get throws {
            try adapters.map { text in
                if let colon = text.lastIndex(of: ":"), let weight = Float(text[text.index(after: colon)...]) {
                    guard weight.isFinite else {
                        throw ValidationError("The weight in --adapter \(text) must be finite.")
                    }
                    return (URL(fileURLWithPath: String(text[..<colon])), weight)
                }
                return (URL(fileURLWithPath: text), 1)
            }
        }
    }

    /// Loads every adapter for `model`.
    func load(for model: LanguageModel) throws -> [ActiveAdapter] {
        try specifications.map { specification in
            ActiveAdapter(
                try AdapterLoader.load(directory: specification.directory, base: model.configuration),
                weight: specification.weight)
        }
    }
}
