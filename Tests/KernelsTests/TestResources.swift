import Foundation

/// Paths to the reference fixtures: `../shared/fixtures` beside the checkout, or `$RAG_FIXTURES`.
enum TestResources {
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static var fixtures: URL {
        if let path = ProcessInfo.processInfo.environment["RAG_FIXTURES"], !path.isEmpty {
            return URL(fileURLWithPath: path)
        }
        return repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/fixtures")
    }

    /// The models `make models` installs: `models/`, or `$RAG_MODELS`.
    static var models: URL {
        if let path = ProcessInfo.processInfo.environment["RAG_MODELS"], !path.isEmpty {
            return URL(fileURLWithPath: path)
        }
        return repositoryRoot.appendingPathComponent("models")
    }

    static var smolLM2: URL {
        models.appendingPathComponent("SmolLM2-135M-Instruct/SmolLM2-135M-Instruct.Q4_1.gguf")
    }

    struct Missing: Error, CustomStringConvertible {
        let path: String
        let hint: String
        var description: String { "\(path) is missing: \(hint)" }
    }

    static func fixture(_ relative: String) throws -> Data {
        let url = fixtures.appendingPathComponent(relative)
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw Missing(path: url.path, hint: "the shared fixtures must sit beside the checkout, or set RAG_FIXTURES")
        }
        return data
    }

    /// `count` bytes of the default generator's GGUF file from byte `offset`.
    static func smolLM2Bytes(offset: Int, count: Int) throws -> Data {
        guard let handle = FileHandle(forReadingAtPath: smolLM2.path) else {
            throw Missing(path: smolLM2.path, hint: "run `make models`")
        }
        defer { try? handle.close() }
        try handle.seek(toOffset: UInt64(offset))
        guard let data = try handle.read(upToCount: count), data.count == count else {
            throw Missing(path: smolLM2.path, hint: "the file is shorter than expected; run `make models` again")
        }
        return data
    }

    /// A fixture of raw little-endian float32 values.
    static func floats(_ relative: String) throws -> [Float] {
        let data = try fixture(relative)
        return data.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
    }
}
