import Foundation

/// How every `--json` flag prints: one line, keys sorted and in snake_case, dates in ISO 8601.
enum JSONOutput {
    static func print<Value: Encodable>(_ value: Value) throws {
        Swift.print(String(decoding: try data(value), as: UTF8.self))
    }

    /// The JSON of `value` as `print` writes it; `pretty` spreads it over indented lines (a file
    /// meant to be read, such as report.json).
    static func data<Value: Encodable>(_ value: Value, pretty: Bool = false) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes] : [.sortedKeys]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.dateEncodingStrategy = .iso8601
        return try encoder.encode(value)
    }
}

/// A failure to report as "Error: <message>" with a non-zero exit, without the usage text that
/// ArgumentParser adds to a `ValidationError`.
struct CommandError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
