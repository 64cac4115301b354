import Foundation

/// A file found under the paths given to `rag ingest`, and the source name it is stored under:
/// the path as given joined with the path below it (`rag ingest docs` stores `docs/main/x.md`).
public struct SourceFile: Sendable, Equatable {
    public var url: URL
    public var source: String

    public init(url: URL, source: String) {
        self.url = url
        self.source = source
    }
}

enum SourceFiles {
    /// Every regular file under `paths` (files as given, folders recursively; hidden files and
    /// folders skipped), sorted by source. Paths that do not exist are returned in `missing`.
    static func enumerate(_ paths: [String]) -> (files: [SourceFile], missing: [String]) {
        var files: [SourceFile] = []
        var missing: [String] = []
        let manager = FileManager.default
        for path in paths {
            let root = normalized(path)
            var isDirectory: ObjCBool = false
            guard manager.fileExists(atPath: root, isDirectory: &isDirectory) else {
                missing.append(path)
                continue
            }
            guard isDirectory.boolValue else {
                files.append(SourceFile(url: URL(fileURLWithPath: root), source: root))
                continue
            }
            let rootURL = URL(fileURLWithPath: root)
            guard
                let walker = manager.enumerator(
                    at: rootURL, includingPropertiesForKeys: [.isRegularFileKey], options: [.skipsHiddenFiles])
            else { continue }
            for case let url as URL in walker {
                guard (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true else { continue }
                let relative = url.standardizedFileURL.path.dropFirst(rootURL.standardizedFileURL.path.count)
                files.append(SourceFile(url: url, source: root + (relative.hasPrefix("/") ? "" : "/") + relative))
            }
        }
        return (files.sorted { $0.source < $1.source }, missing)
    }

    /// The path as given, without a trailing slash or a leading "./".
    static func normalized(_ path: String) -> String {
        var result = path
        while result.count > 1, result.hasSuffix("/") { result.removeLast() }
        while result.hasPrefix("./"), result.count > 2 { result.removeFirst(2) }
        return result
    }
}
