import Foundation

/// Where the default models live: `models/` as `make models` unpacks it.
///
/// Looked up in `$RAG_MODELS`, then `./models`, then beside the executable's build folder
/// (`.build/<config>/rag` → `models/`), so that `rag` works from the checkout and from a test.
enum ModelLocation {
    static let defaultEmbedderFolder = "all-MiniLM-L6-v2"
    static let defaultGeneratorFile = "SmolLM2-135M-Instruct/SmolLM2-135M-Instruct.Q4_1.gguf"

    static var modelsDirectory: URL {
        if let configured = ProcessInfo.processInfo.environment["RAG_MODELS"], !configured.isEmpty {
            return URL(fileURLWithPath: configured)
        }
        let local = URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent("models")
        if FileManager.default.fileExists(atPath: local.path) { return local }
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
            .deletingLastPathComponent()
        for _ in 0..<5 {
            let candidate = directory.appendingPathComponent("models")
            if FileManager.default.fileExists(atPath: candidate.path) { return candidate }
            directory.deleteLastPathComponent()
        }
        return local
    }

    static var defaultEmbedder: URL { modelsDirectory.appendingPathComponent(defaultEmbedderFolder) }

    static var defaultGenerator: URL { modelsDirectory.appendingPathComponent(defaultGeneratorFile) }
}
