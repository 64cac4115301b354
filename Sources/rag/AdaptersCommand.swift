import AdapterLoader
import ArgumentParser
import Foundation
import LanguageModel

/// `rag adapters`: the LoRA adapters of a folder.
struct AdaptersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "adapters", abstract: "List and merge LoRA adapters.",
        subcommands: [AdaptersListCommand.self, AdaptersMergeCommand.self])
}

/// `rag adapters list`: name, rank, alpha, targets and base model of each adapter folder, each
/// checked against the language model.
struct AdaptersListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "Show each adapter of a folder: name, rank, alpha, targets, base model, and whether it loads.")

    @OptionGroup var model: LanguageModelOptions

    @Option(help: ArgumentHelp("Folder of adapter folders.", valueName: "dir"))
    var dir = "adapters"

    @Flag(help: "Print one JSON object.")
    var json = false

    struct Entry: Encodable {
        var name: String
        var path: String
        var rank: Int?
        var alpha: Double?
        var targets: [String]?
        var baseModel: String?
        var rslora: Bool?
        var parameters: Int?
        var error: String?
    }

    func run() async throws {
        let root = URL(fileURLWithPath: dir)
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: root.path) else {
            throw CommandError(message: "\(root.path) is not a readable folder; give the adapters folder with --dir")
        }
        let base = try LanguageModel(url: model.url).configuration
        var entries: [Entry] = []
        for name in names.sorted() {
            let folder = root.appendingPathComponent(name)
            guard FileManager.default.fileExists(atPath: folder.appendingPathComponent("adapter_config.json").path)
            else { continue }
            do {
                let adapter = try AdapterLoader.load(directory: folder, base: base)
                let s = adapter.summary
                entries.append(
                    Entry(
                        name: name, path: folder.path, rank: s.rank, alpha: s.alpha, targets: s.targets,
                        baseModel: s.baseModel, rslora: s.usesRSLoRA, parameters: adapter.parameterCount))
            } catch {
                entries.append(Entry(name: name, path: folder.path, error: "\(error)"))
            }
        }
        if json { return try JSONOutput.print(["adapters": entries]) }
        if entries.isEmpty { print("no adapters in \(root.path)") }
        for entry in entries {
            if let error = entry.error {
                print("\(entry.name): cannot be loaded: \(error)")
            } else {
                print(
                    "\(entry.name): rank \(entry.rank ?? 0), alpha \(entry.alpha ?? 0)\((entry.rslora ?? false) ? " (rsLoRA)" : ""), "
                        + "targets \((entry.targets ?? []).joined(separator: ",")), base \(entry.baseModel ?? "?")")
            }
        }
    }
}

/// `rag adapters merge`: a new GGUF with the adapters folded into the weights they touch.
struct AdaptersMergeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Write a GGUF model with the adapters folded in (touched tensors as Q8_0, the rest copied).")

    @OptionGroup var model: LanguageModelOptions
    @OptionGroup var adapter: AdapterOptions

    @Option(help: ArgumentHelp("The GGUF file to write.", valueName: "file"))
    var out: String

    @Flag(help: "Print one JSON object.")
    var json = false

    struct Output: Encodable {
        var output: String
        var mergedTensors: Int
        var copiedTensors: Int
        var bytes: Int
    }

    func run() async throws {
        if adapter.adapters.isEmpty { throw ValidationError("Give at least one --adapter to merge.") }
        let base = try model.load()
        let adapters = try adapter.load(for: base)
        let output = URL(fileURLWithPath: out)
        if output.standardizedFileURL.path == base.url.standardizedFileURL.path {
            throw ValidationError("--out must not be the base model itself.")
        }
        let report = try AdapterMerger.merge(base: base.url, adapters: adapters, output: output)
        let result = Output(
            output: output.path, mergedTensors: report.mergedTensors, copiedTensors: report.copiedTensors,
            bytes: report.bytes)
        if json { return try JSONOutput.print(result) }
        print(
            "wrote \(output.path): \(report.mergedTensors) tensors merged, \(report.copiedTensors) copied, "
                + "\(report.bytes / 1_048_576) MiB")
    }
}
