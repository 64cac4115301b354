import AdapterLoader
import Foundation
import LanguageModel
import Synchronization

/// The LoRA adapters loaded into the running service, by name, all over one copy of the base
/// weights. Names come from the adapters folder; a name is a single path component, so no request
/// can load files from outside that folder.
public final class AdapterRegistry: Sendable {
    public let directory: URL
    private let loaded = Mutex<[String: LoRAAdapter]>([:])

    public init(directory: URL) {
        self.directory = directory.standardizedFileURL
    }

    /// Loaded adapters, by name.
    public var adapters: [String: LoRAAdapter] { loaded.withLock { $0 } }

    public func adapter(named name: String) -> LoRAAdapter? { loaded.withLock { $0[name] } }

    /// Adapter folders (holding `adapter_config.json`) in the adapters folder, sorted.
    public func available() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { name in
            Self.isValidName(name)
                && FileManager.default.fileExists(
                    atPath: directory.appendingPathComponent(name).appendingPathComponent("adapter_config.json").path)
        }.sorted()
    }

    /// Letters, digits, '.', '-' and '_', at most 64, not starting with '.': one path component.
    public static func isValidName(_ name: String) -> Bool {
        guard !name.isEmpty, name.count <= 64, !name.hasPrefix(".") else { return false }
        return name.unicodeScalars.allSatisfy { scalar in
            scalar.isASCII && (CharacterSet.alphanumerics.contains(scalar) || "._-".unicodeScalars.contains(scalar))
        }
    }

    /// The folder of adapter `name` inside the adapters folder.
    public func folder(for name: String) throws -> URL {
        guard Self.isValidName(name) else {
            throw APIError.invalid(
                "adapter names are letters, digits, '.', '-' and '_' (at most 64, not starting with '.'), got '\(name)'",
                param: "name", code: "invalid_adapter_name")
        }
        let folder = directory.appendingPathComponent(name).resolvingSymlinksInPath()
        let root = directory.resolvingSymlinksInPath().path
        guard folder.path.hasPrefix(root.hasSuffix("/") ? root : root + "/") else {
            throw APIError.invalid("adapter '\(name)' lies outside the adapters folder", param: "name")
        }
        guard FileManager.default.fileExists(atPath: folder.appendingPathComponent("adapter_config.json").path) else {
            throw APIError.notFound(
                "no adapter named '\(name)' in \(directory.path) (a folder with adapter_config.json)", param: "name",
                code: "adapter_not_found")
        }
        return folder
    }

    /// Loads adapter `name` from the adapters folder for `model` (again, when loaded already).
    @discardableResult
    public func load(_ name: String, for model: LanguageModel) throws -> LoRAAdapter {
        let folder = try folder(for: name)
        let adapter = try AdapterLoader.load(directory: folder, base: model.configuration, name: name)
        let replaced = loaded.withLock { adapters in adapters.updateValue(adapter, forKey: name) != nil }
        if replaced { model.clearPrefixCache() }
        return adapter
    }

    /// Unloads `name`; false when it was not loaded.
    @discardableResult
    public func unload(_ name: String, from model: LanguageModel) -> Bool {
        let removed = loaded.withLock { $0.removeValue(forKey: name) != nil }
        // Cached prompt prefixes hold the adapter: drop them so its memory is freed.
        if removed { model.clearPrefixCache() }
        return removed
    }
}
