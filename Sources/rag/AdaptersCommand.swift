import AdapterLoader
import ArgumentParser
import Foundation
import LanguageModel

/// `rag adapters`: the LoRA adapters of a folder.
struct AdaptersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "adapters", abstract: "List LoRA adapters.", subcommands: [AdaptersListCommand.self])
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
