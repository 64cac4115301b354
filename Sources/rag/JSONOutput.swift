import Foundation

/// How every `--json` flag prints: one line, keys sorted and in snake_case, dates in ISO 8601.
enum JSONOutput {
    static func print<Value: Encodable>(_ value: Value) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.dateEncodingStrategy = .iso8601
        Swift.print(String(decoding: try encoder.encode(value), as: UTF8.self))
    }
}

/// A failure to report as "Error: <message>" with a non-zero exit, without the usage text that
/// ArgumentParser adds to a `ValidationError`.
struct CommandError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
