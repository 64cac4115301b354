/// A strict JSON parser (RFC 8259) over raw bytes, moving a cursor and never trapping.
///
/// Not Foundation's `JSONSerialization`: its objects become `[String: Any]`, which merges keys that are canonically
/// equivalent (`"é"` and `"e\u0301"`) and drops one of two equal keys without a word, and its numbers cannot tell
/// `2` from `2.0`; model headers and tokenizer vocabularies need all three told apart. Nesting is capped at
/// `maxDepth` so that a hostile file of a million `[` cannot exhaust the stack. Invalid UTF-8 is refused too.
public struct JSONParser {
    /// Far deeper than any model header or tokenizer file (a handful of levels), far shallower than the stack allows.
    public static let maxDepth = 64

    private let bytes: UnsafeRawBufferPointer
    private var cursor = 0

    private init(bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    /// Parses `bytes` as exactly one JSON value, with only whitespace around it.
    public static func parse(_ bytes: UnsafeRawBufferPointer) throws(JSONParseError) -> JSONValue {
        var parser = JSONParser(bytes: bytes)
        parser.skipWhitespace()
        let value = try parser.parseValue(depth: 0)
        parser.skipWhitespace()
        if parser.cursor < bytes.count {
            throw parser.failure("expected the end of the text, found \(parser.describeCurrent())")
        }
        return value
    }

    /// Parses a whole file's bytes, as `parse(_: UnsafeRawBufferPointer)` does.
    public static func parse(_ bytes: [UInt8]) throws(JSONParseError) -> JSONValue {
        // `withUnsafeBytes` rethrows untyped, so the typed error travels in a `Result`.
        let result = bytes.withUnsafeBytes { raw in Result { () throws(JSONParseError) in try parse(raw) } }
        return try result.get()
    }

    // MARK: - Values

    private mutating func parseValue(depth: Int) throws(JSONParseError) -> JSONValue {
        guard let byte = peek() else { throw failure("expected a value, found the end of the text") }
        switch byte {
        case UInt8(ascii: "{"): return try parseObject(depth: depth + 1)
        case UInt8(ascii: "["): return try parseArray(depth: depth + 1)
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"):
            try expectWord("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try expectWord("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try expectWord("null")
            return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        default: throw failure("expected a value, found \(describeCurrent())")
        }
    }

    private mutating func parseObject(depth: Int) throws(JSONParseError) -> JSONValue {
        guard depth <= Self.maxDepth else { throw failure("nesting deeper than \(Self.maxDepth) levels") }
        cursor += 1  // {
        var members: [JSONValue.Member] = []
        skipWhitespace()
        if peek() == UInt8(ascii: "}") {
            cursor += 1
            return .object(members)
        }
        while true {
            skipWhitespace()
            guard peek() == UInt8(ascii: "\"") else {
                throw failure("expected a member name in quotes, found \(describeCurrent())")
            }
            let key = try parseString()
            skipWhitespace()
            try expectByte(UInt8(ascii: ":"))
            skipWhitespace()
            let value = try parseValue(depth: depth)
            members.append(JSONValue.Member(key: key, value: value))
            skipWhitespace()
            if peek() == UInt8(ascii: ",") {
                cursor += 1
                continue
            }
            try expectByte(UInt8(ascii: "}"))
            return .object(members)
        }
    }

    private mutating func parseArray(depth: Int) throws(JSONParseError) -> JSONValue {
        guard depth <= Self.maxDepth else { throw failure("nesting deeper than \(Self.maxDepth) levels") }
        cursor += 1  // [
        var items: [JSONValue] = []
        skipWhitespace()
        if peek() == UInt8(ascii: "]") {
            cursor += 1
            return .array(items)
        }
        while true {
            skipWhitespace()
            items.append(try parseValue(depth: depth))
            skipWhitespace()
            if peek() == UInt8(ascii: ",") {
                cursor += 1
                continue
            }
            try expectByte(UInt8(ascii: "]"))
            return .array(items)
        }
    }

    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`
    private mutating func parseNumber() throws(JSONParseError) -> JSONValue {
        let start = cursor
        var isInteger = true
        if peek() == UInt8(ascii: "-") { cursor += 1 }
        if peek() == UInt8(ascii: "0") {
            cursor += 1
        } else if skipDigits() == 0 {
            throw failure("expected a digit, found \(describeCurrent())")
        }
        if peek() == UInt8(ascii: ".") {
            isInteger = false
            cursor += 1
            if skipDigits() == 0 { throw failure("expected a digit after '.', found \(describeCurrent())") }
        }
        if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
            isInteger = false
            cursor += 1
            if peek() == UInt8(ascii: "+") || peek() == UInt8(ascii: "-") { cursor += 1 }
            if skipDigits() == 0 { throw failure("expected a digit in the exponent, found \(describeCurrent())") }
        }
        let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<cursor]), as: UTF8.self)
        if isInteger, let value = Int(text) { return .integer(value) }
        return .number(text)
    }

    /// Returns how many digits it skipped.
    private mutating func skipDigits() -> Int {
        let start = cursor
        while let byte = peek(), byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") { cursor += 1 }
        return cursor - start
    }

    // MARK: - Strings

    private mutating func parseString() throws(JSONParseError) -> String {
        let start = cursor
        cursor += 1  // opening quote
        // Most strings hold no escape: validate their bytes where they lie instead of copying them one by one.
        let contentStart = cursor
        while let byte = peek(), byte != UInt8(ascii: "\""), byte != UInt8(ascii: "\\"), byte >= 0x20 { cursor += 1 }
        let plain = UnsafeRawBufferPointer(rebasing: bytes[contentStart..<cursor])
        if peek() == UInt8(ascii: "\"") {
            cursor += 1
            guard let text = String(validating: plain, as: UTF8.self) else {
                throw JSONParseError(offset: start, message: "string is not valid UTF-8")
            }
            return text
        }
        var utf8 = Array(plain)
        while true {
            guard let byte = peek() else { throw failure("unterminated string starting at byte \(start)") }
            cursor += 1
            switch byte {
            case UInt8(ascii: "\""):
                guard let text = String(validating: utf8, as: UTF8.self) else {
                    throw JSONParseError(offset: start, message: "string is not valid UTF-8")
                }
                return text
            case UInt8(ascii: "\\"):
                try parseEscape(into: &utf8)
            case 0..<0x20:
                cursor -= 1
                throw failure("control character 0x\(String(byte, radix: 16)) inside a string, expected it escaped")
            default:
                utf8.append(byte)
            }
        }
    }

    private mutating func parseEscape(into utf8: inout [UInt8]) throws(JSONParseError) {
        guard let byte = peek() else { throw failure("expected an escape after '\\', found the end of the text") }
        cursor += 1
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): utf8.append(byte)
        case UInt8(ascii: "b"): utf8.append(0x08)
        case UInt8(ascii: "f"): utf8.append(0x0C)
        case UInt8(ascii: "n"): utf8.append(0x0A)
        case UInt8(ascii: "r"): utf8.append(0x0D)
        case UInt8(ascii: "t"): utf8.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = UInt32(try parseHex4())
            if (0xD800..<0xDC00).contains(scalar) {
                // A high surrogate must be followed by an escaped low one; together they are one scalar.
                guard peek() == UInt8(ascii: "\\"), peek(at: 1) == UInt8(ascii: "u") else {
                    throw failure("lone surrogate \\u\(String(scalar, radix: 16)), expected a low surrogate to follow")
                }
                cursor += 2
                let low = UInt32(try parseHex4())
                guard (0xDC00..<0xE000).contains(low) else {
                    throw failure("\\u\(String(low, radix: 16)) after a high surrogate, expected a low surrogate")
                }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            }
            guard let unicode = Unicode.Scalar(scalar) else {
                throw failure("lone surrogate \\u\(String(scalar, radix: 16))")
            }
            utf8.append(contentsOf: Array(String(Character(unicode)).utf8))
        default:
            cursor -= 1
            throw failure("unknown escape '\\\(describeCurrent())'")
        }
    }

    private mutating func parseHex4() throws(JSONParseError) -> UInt16 {
        var value: UInt16 = 0
        for _ in 0..<4 {
            guard let byte = peek(), let digit = Self.hexValue(byte) else {
                throw failure("expected 4 hex digits after \\u, found \(describeCurrent())")
            }
            value = value << 4 | UInt16(digit)
            cursor += 1
        }
        return value
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    // MARK: - Cursor

    private func peek(at distance: Int = 0) -> UInt8? {
        cursor + distance < bytes.count ? bytes[cursor + distance] : nil
    }

    private mutating func skipWhitespace() {
        while let byte = peek(),
            byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r")
                || byte == UInt8(ascii: "\t")
        {
            cursor += 1
        }
    }

    private mutating func expectByte(_ expected: UInt8) throws(JSONParseError) {
        guard peek() == expected else {
            throw failure("expected '\(Character(Unicode.Scalar(expected)))', found \(describeCurrent())")
        }
        cursor += 1
    }

    private mutating func expectWord(_ word: String) throws(JSONParseError) {
        let letters = Array(word.utf8)
        let matches =
            cursor + letters.count <= bytes.count
            && letters.indices.allSatisfy { bytes[cursor + $0] == letters[$0] }
        guard matches else { throw failure("expected '\(word)', found \(describeCurrent())") }
        cursor += letters.count
    }

    private func describeCurrent() -> String {
        guard let byte = peek() else { return "the end of the text" }
        if byte >= 0x20 && byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))'" }
        return "byte 0x\(String(byte, radix: 16))"
    }

    private func failure(_ message: String) -> JSONParseError {
        JSONParseError(offset: cursor, message: message)
    }
}

/// Where and why a text stopped being JSON.
public struct JSONParseError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The byte, counted from 0, at which the text went wrong (for a string that is not UTF-8, its opening quote).
    public let offset: Int
    /// What was expected and what was found, such as "expected ':', found '1'".
    public let message: String

    public init(offset: Int, message: String) {
        self.offset = offset
        self.message = message
    }

    /// "expected ':', found '1' at byte 5".
    public var description: String { "\(message) at byte \(offset)" }
}
