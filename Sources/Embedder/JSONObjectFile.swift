import Foundation

/// A JSON object read from a configuration file, with typed field access whose errors name the
/// file and the field.
struct JSONObjectFile {
    let url: URL
    let fields: [String: Any]

    init(url: URL) throws(EmbedderError) {
        self.url = url
        guard FileManager.default.fileExists(atPath: url.path) else { throw .missingFile(path: url.path) }
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw .invalidConfiguration(
                path: url.path, field: "(file)", reason: "cannot be read: \(error.localizedDescription)")
        }
        guard let object = try? JSONSerialization.jsonObject(with: data), let fields = object as? [String: Any] else {
            throw .invalidConfiguration(path: url.path, field: "(file)", reason: "is not a JSON object")
        }
        self.fields = fields
    }

    func int(_ name: String, default fallback: Int? = nil) throws(EmbedderError) -> Int {
        guard let value = fields[name], !(value is NSNull) else {
            if let fallback { return fallback }
            throw .invalidConfiguration(path: url.path, field: name, reason: "is missing")
        }
        if let number = value as? NSNumber, let exact = Int(exactly: number.doubleValue) { return exact }
        throw .invalidConfiguration(path: url.path, field: name, reason: "must be an integer, found \(value)")
    }

    func double(_ name: String, default fallback: Double? = nil) throws(EmbedderError) -> Double {
        guard let value = fields[name], !(value is NSNull) else {
            if let fallback { return fallback }
            throw .invalidConfiguration(path: url.path, field: name, reason: "is missing")
        }
        if let number = value as? NSNumber { return number.doubleValue }
        throw .invalidConfiguration(path: url.path, field: name, reason: "must be a number, found \(value)")
    }

    func bool(_ name: String, default fallback: Bool) throws(EmbedderError) -> Bool {
        guard let value = fields[name], !(value is NSNull) else { return fallback }
        if let flag = value as? Bool { return flag }
        throw .invalidConfiguration(path: url.path, field: name, reason: "must be true or false, found \(value)")
    }

    func string(_ name: String, default fallback: String? = nil) throws(EmbedderError) -> String {
        guard let value = fields[name], !(value is NSNull) else {
            if let fallback { return fallback }
            throw .invalidConfiguration(path: url.path, field: name, reason: "is missing")
        }
        if let text = value as? String { return text }
        throw .invalidConfiguration(path: url.path, field: name, reason: "must be a string, found \(value)")
    }
}
