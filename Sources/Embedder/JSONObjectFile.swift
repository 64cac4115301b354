import Foundation
import StrictJSON

/// A JSON configuration file read with `StrictJSON`, with typed field access whose errors name
/// the file and the field.
///
/// Strict on types: `"hidden_size": true` or `384.5` is an error, not 1 or 384, as
/// Foundation's `NSNumber` bridging would have it.
struct JSONObjectFile {
    let url: URL
    let root: JSONValue

    init(url: URL) throws(EmbedderError) {
        self.url = url
        root = try Self.parse(url)
        guard root.objectMembers != nil else {
            throw .unreadableConfiguration(path: url.path, reason: "is not a JSON object, found \(root.summary)")
        }
    }

    /// Parses a whole file; a missing file is `.missingFile`.
    static func parse(_ url: URL) throws(EmbedderError) -> JSONValue {
        guard FileManager.default.fileExists(atPath: url.path) else { throw .missingFile(path: url.path) }
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw .unreadableConfiguration(path: url.path, reason: "cannot be read")
        }
        do { return try JSONParser.parse(Array(data)) } catch {
            throw .unreadableConfiguration(path: url.path, reason: "is not valid JSON: \(error)")
        }
    }

    func has(_ name: String) -> Bool { root[name].map { !$0.isNull } ?? false }

    func int(_ name: String, default fallback: Int? = nil) throws(EmbedderError) -> Int {
        guard let value = root[name], !value.isNull else {
            if let fallback { return fallback }
            throw .invalidConfiguration(path: url.path, field: name, reason: "is missing")
        }
        guard let number = value.int else {
            throw .invalidConfiguration(
                path: url.path, field: name, reason: "must be an integer, found \(value.summary)")
        }
        return number
    }

    func double(_ name: String, default fallback: Double? = nil) throws(EmbedderError) -> Double {
        guard let value = root[name], !value.isNull else {
            if let fallback { return fallback }
            throw .invalidConfiguration(path: url.path, field: name, reason: "is missing")
        }
        guard let number = value.double, number.isFinite else {
            throw .invalidConfiguration(path: url.path, field: name, reason: "must be a number, found \(value.summary)")
        }
        return number
    }

    func bool(_ name: String, default fallback: Bool) throws(EmbedderError) -> Bool {
        guard let value = root[name], !value.isNull else { return fallback }
        guard let flag = value.bool else {
            throw .invalidConfiguration(
                path: url.path, field: name, reason: "must be true or false, found \(value.summary)")
        }
        return flag
    }

    func string(_ name: String, default fallback: String? = nil) throws(EmbedderError) -> String {
        guard let value = root[name], !value.isNull else {
            if let fallback { return fallback }
            throw .invalidConfiguration(path: url.path, field: name, reason: "is missing")
        }
        guard let text = value.string else {
            throw .invalidConfiguration(path: url.path, field: name, reason: "must be a string, found \(value.summary)")
        }
        return text
    }
}
