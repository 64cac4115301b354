import Foundation
import StrictJSON

/// A question file: one JSON object per line, blank lines skipped. Each reader of such a file
/// turns objects into its own records; errors name the file and the line.
enum JSONLinesFile {
    /// `record` gets each parsed line with its 1-based line number and a way to make an error
    /// that names the place; what it returns is kept.
    static func read<Record>(
        _ url: URL, _ record: (JSONValue, Int, (String) -> EvaluationError) throws -> Record
    ) throws -> [Record] {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw EvaluationError(message: "\(url.path) cannot be read")
        }
        var records: [Record] = []
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        for (index, line) in lines.enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { continue }
            let number = index + 1
            let problem = { (message: String) in EvaluationError(message: "\(url.path), line \(number): \(message)") }
            let value: JSONValue
            do { value = try JSONParser.parse(Array(trimmed.utf8)) } catch {
                throw problem("not valid JSON (\(error))")
            }
            records.append(try record(value, number, problem))
        }
        return records
    }
}
