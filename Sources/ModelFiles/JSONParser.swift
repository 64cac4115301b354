/// A strict JSON reader (RFC 8259) over raw bytes, moving a cursor and never trapping.
///
/// Foundation's `JSONSerialization` would do, except that it keeps the last of two equal object keys without
/// a word and blurs integers, doubles and booleans into `NSNumber`; a model header needs both told apart.
/// Nesting is capped at `maxDepth` so that a hostile header of a million `[` cannot exhaust the stack.
struct JSONParser {
    /// Where and why the text stopped being JSON.
    struct Failure: Error {
        let offset: Int
        let reason: String
    }

    /// Far deeper than any model header (3 levels) and far shallower than the stack allows.
    static let maxDepth = 64

    private let bytes: UnsafeRawBufferPointer
    private var cursor = 0

    private init(bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    /// Parses `bytes` as exactly one JSON value, with only whitespace around it.
    static func parse(_ bytes: UnsafeRawBufferPointer) throws(Failure) -> JSONValue {
        var parser = JSONParser(bytes: bytes)
        parser.skipWhitespace()
        let value = try parser.parseValue(depth: 0)
        parser.skipWhitespace()
        if parser.cursor < bytes.count {
            throw parser.failure("expected the end of the text, found \(parser.describeCurrent())")
        }
        return value
    }

    // MARK: - Values

    private mutating func parseValue(depth: Int) throws(Failure) -> JSONValue {
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

    private mutating func parseObject(depth: Int) throws(Failure) -> JSONValue {
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

    private mutating func parseArray(depth: Int) throws(Failure) -> JSONValue {
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
    private mutating func parseNumber() throws(Failure) -> JSONValue {
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

    private mutating func parseString() throws(Failure) -> String {
        let start = cursor
        cursor += 1  // opening quote
        var utf8: [UInt8] = []
        while true {
            guard let byte = peek() else { throw failure("unterminated string starting at byte \(start)") }
            cursor += 1
            switch byte {
            case UInt8(ascii: "\""):
                guard let text = String(validating: utf8, as: UTF8.self) else {
                    throw Failure(offset: start, reason: "string is not valid UTF-8")
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

    private mutating func parseEscape(into utf8: inout [UInt8]) throws(Failure) {
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

    private mutating func parseHex4() throws(Failure) -> UInt16 {
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

    private mutating func expectByte(_ expected: UInt8) throws(Failure) {
        guard peek() == expected else {
            throw failure("expected '\(Character(Unicode.Scalar(expected)))', found \(describeCurrent())")
        }
        cursor += 1
    }

    private mutating func expectWord(_ word: String) throws(Failure) {
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

    private func failure(_ reason: String) -> Failure {
        Failure(offset: cursor, reason: reason)
    }
}
