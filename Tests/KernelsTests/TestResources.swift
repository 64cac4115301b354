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

    struct Missing: Error, CustomStringConvertible {
        let path: String
        var description: String {
            "\(path) is missing: the shared fixtures must sit beside the checkout, or set RAG_FIXTURES"
        }
    }

    static func fixture(_ relative: String) throws -> Data {
        let url = fixtures.appendingPathComponent(relative)
        guard let data = FileManager.default.contents(atPath: url.path) else { throw Missing(path: url.path) }
        return data
    }
}
