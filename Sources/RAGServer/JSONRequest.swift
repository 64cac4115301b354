import Hummingbird
import StrictJSON

/// A request's JSON object, read with a size limit and strict parsing (depth-capped, valid UTF-8
/// only), whose fields are fetched by name with errors that name the field.
struct JSONRequest {
    let object: JSONValue

    /// Parses the body (which `ServiceMiddleware` has read already, within the time limit); 413 past
    /// `limit` bytes, 400 for anything but a JSON object.
    static func read(_ request: Request, limit: Int) async throws -> JSONRequest {
        let buffer = try await RequestBodyReader.collect(request, limit: limit)
        guard buffer.readableBytes > 0 else { throw APIError.invalid("the request body is empty; send a JSON object") }
        let value: JSONValue
        do {
            value = try buffer.withUnsafeReadableBytes { raw in try JSONParser.parse(raw) }
        } catch let error as JSONParseError {
            throw APIError.invalid("the body is not valid JSON: \(error)", code: "invalid_json")
        }
        guard case .object = value else {
            throw APIError.invalid("the body must be a JSON object, found \(value.summary)", code: "invalid_json")
        }
        return JSONRequest(object: value)
    }

    func has(_ field: String) -> Bool { object[field].map { !$0.isNull } ?? false }

    func string(_ field: String) throws -> String? {
        guard let value = object[field], !value.isNull else { return nil }
        guard let text = value.string else { throw wrongType(field, "a string", value) }
        return text
    }

    func requiredString(_ field: String) throws -> String {
        guard let text = try string(field) else { throw APIError.invalid("'\(field)' is required", param: field) }
        return text
    }

    func bool(_ field: String) throws -> Bool? {
        guard let value = object[field], !value.isNull else { return nil }
        guard let flag = value.bool else { throw wrongType(field, "true or false", value) }
        return flag
    }

    /// An integer within `range` (a huge or fractional number is a 400 naming the field).
    func int(_ field: String, in range: ClosedRange<Int>) throws -> Int? {
        guard let value = object[field], !value.isNull else { return nil }
        guard let number = value.int else { throw wrongType(field, "an integer", value) }
        guard range.contains(number) else {
            throw APIError.invalid(
                "'\(field)' must be between \(range.lowerBound) and \(range.upperBound), got \(number)", param: field)
        }
        return number
    }

    /// A finite number within `range`.
    func double(_ field: String, in range: ClosedRange<Double>) throws -> Double? {
        guard let value = object[field], !value.isNull else { return nil }
        guard let number = value.double, number.isFinite else { throw wrongType(field, "a finite number", value) }
        guard range.contains(number) else {
            throw APIError.invalid(
                "'\(field)' must be between \(range.lowerBound) and \(range.upperBound), got \(number)", param: field)
        }
        return number
    }

    /// A string or an array of strings (OpenAI's `stop` and `input`).
    func strings(_ field: String) throws -> [String]? {
        guard let value = object[field], !value.isNull else { return nil }
        if let text = value.string { return [text] }
        guard let items = value.arrayItems else { throw wrongType(field, "a string or an array of strings", value) }
        return try items.map { item in
            guard let text = item.string else { throw wrongType(field, "an array of strings", item) }
            return text
        }
    }

    func object(_ field: String) throws -> JSONRequest? {
        guard let value = object[field], !value.isNull else { return nil }
        guard case .object = value else { throw wrongType(field, "an object", value) }
        return JSONRequest(object: value)
    }

    func array(_ field: String) throws -> [JSONValue]? {
        guard let value = object[field], !value.isNull else { return nil }
        guard let items = value.arrayItems else { throw wrongType(field, "an array", value) }
        return items
    }

    private func wrongType(_ field: String, _ expected: String, _ value: JSONValue) -> APIError {
        .invalid("'\(field)' must be \(expected), found \(value.summary)", param: field, code: "invalid_type")
    }
}
