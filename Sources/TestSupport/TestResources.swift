import Foundation

/// Where the tests find the reference fixtures (`../shared/fixtures` beside the checkout, or
/// `$RAG_FIXTURES`) and the models `make models` installs (`models/`, or `$RAG_MODELS`).
///
/// A library target that only test targets depend on, so that every test suite finds files the
/// same way and a missing model fails a test with the same hint.
public enum TestResources {
    public static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    public static var fixtures: URL {
        if let path = ProcessInfo.processInfo.environment["RAG_FIXTURES"], !path.isEmpty {
            return URL(fileURLWithPath: path)
        }
        return repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/fixtures")
    }

    public static var models: URL {
        if let path = ProcessInfo.processInfo.environment["RAG_MODELS"], !path.isEmpty {
            return URL(fileURLWithPath: path)
        }
        return repositoryRoot.appendingPathComponent("models")
    }

    /// The default embedder folder.
    public static var miniLM: URL { models.appendingPathComponent("all-MiniLM-L6-v2") }

    /// The default language model file.
    public static var smolLM: URL {
        models.appendingPathComponent("SmolLM2-135M-Instruct/SmolLM2-135M-Instruct.Q4_1.gguf")
    }

    public struct Missing: Error, CustomStringConvertible {
        public let path: String
        public let hint: String
        public var description: String { "\(path) is missing: \(hint)" }

        public init(path: String, hint: String) {
            self.path = path
            self.hint = hint
        }
    }

    /// The default embedder folder; a missing one fails the test with what to do.
    public static func requireMiniLM() throws -> URL {
        guard FileManager.default.fileExists(atPath: miniLM.appendingPathComponent("model.safetensors").path) else {
            throw Missing(path: miniLM.path, hint: "run `make models`")
        }
        return miniLM
    }

    /// The default language model; a missing one fails the test with what to do.
    public static func requireSmolLM() throws -> URL {
        guard FileManager.default.fileExists(atPath: smolLM.path) else {
            throw Missing(path: smolLM.path, hint: "run `make models`")
        }
        return smolLM
    }

    /// The bytes of a fixture file, by its path below the fixtures folder.
    public static func fixture(_ relative: String) throws -> Data {
        let url = fixtures.appendingPathComponent(relative)
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw Missing(path: url.path, hint: "the shared fixtures must sit beside the checkout, or set RAG_FIXTURES")
        }
        return data
    }
}
