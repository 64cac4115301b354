import Foundation

/// Paths to the reference fixtures (`../shared/fixtures`, or `$RAG_FIXTURES`) and to the models
/// `make models` installs (`models/`, or `$RAG_MODELS`).
enum TestResources {
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static var fixtures: URL {
        if let path = ProcessInfo.processInfo.environment["RAG_FIXTURES"], !path.isEmpty {
            return URL(fileURLWithPath: path)
        }
        return repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/fixtures")
    }

    static var models: URL {
        if let path = ProcessInfo.processInfo.environment["RAG_MODELS"], !path.isEmpty {
            return URL(fileURLWithPath: path)
        }
        return repositoryRoot.appendingPathComponent("models")
    }

    static var smolLM: URL {
        models.appendingPathComponent("SmolLM2-135M-Instruct/SmolLM2-135M-Instruct.Q4_1.gguf")
    }

    struct Missing: Error, CustomStringConvertible {
        let path: String
        let hint: String
        var description: String { "\(path) is missing: \(hint)" }
    }

    /// The default language model; a missing one fails the test with what to do.
    static func requireSmolLM() throws -> URL {
        guard FileManager.default.fileExists(atPath: smolLM.path) else {
            throw Missing(path: smolLM.path, hint: "run `make models`")
        }
        return smolLM
    }

    static func fixture(_ relative: String) throws -> Data {
        let url = fixtures.appendingPathComponent(relative)
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw Missing(path: url.path, hint: "the shared fixtures must sit beside the checkout, or set RAG_FIXTURES")
        }
        return data
    }
}
