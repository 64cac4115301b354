import Foundation

/// Reads texts from JSON lines: each line a JSON string or an object with a string "text".
enum JSONLinesInput {
    struct LineError: Error, CustomStringConvertible {
        /// The 1-based line, or nil when the problem is the input as a whole.
        let line: Int?
        let reason: String
        var description: String { line.map { "standard input, line \($0): \(reason)" } ?? "standard input \(reason)" }
    }

    /// All texts on standard input; blank lines are skipped. Nothing is returned (and nothing
    /// embedded) if any line is invalid: the error names the first bad line.
    static func read(from handle: FileHandle) throws -> [String] {
        let data = handle.readDataToEndOfFile()
        guard let text = String(data: data, encoding: .utf8) else {
            throw LineError(line: nil, reason: "is not valid UTF-8")
        }
        var texts: [String] = []
        var number = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            number += 1
            let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.isEmpty { continue }
            texts.append(try parse(trimmed, line: number))
        }
        return texts
    }

    static func parse(_ line: String, line number: Int) throws -> String {
        let value: Any
        do {
            value = try JSONSerialization.jsonObject(with: Data(line.utf8), options: [.fragmentsAllowed])
        } catch {
            throw LineError(line: number, reason: "not valid JSON (expected a string or {\"text\": ...})")
        }
        if let string = value as? String { return string }
        if let object = value as? [String: Any] {
            guard let text = object["text"] else {
                throw LineError(line: number, reason: "the object has no \"text\" field")
            }
            guard let string = text as? String else {
                throw LineError(line: number, reason: "\"text\" must be a string")
            }
            return string
        }
        throw LineError(line: number, reason: "expected a JSON string or an object {\"text\": ...}")
    }
}

extension JSONLinesInput {
    /// A text as one JSON string literal.
    static func encode(_ text: String) -> String {
        let data =
            (try? JSONSerialization.data(withJSONObject: text, options: [.fragmentsAllowed])) ?? Data("\"\"".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}
