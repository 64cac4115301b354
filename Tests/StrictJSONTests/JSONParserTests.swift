import StrictJSON
import Testing

@Suite("JSONParser")
struct JSONParserTests {
    func parse(_ text: String) throws(JSONParseError) -> JSONValue {
        try JSONParser.parse(Array(text.utf8))
    }

    /// Parses through the raw-buffer entry point, which the byte-array one wraps.
    func parseRaw(_ bytes: [UInt8]) throws(JSONParseError) -> JSONValue {
        let result = bytes.withUnsafeBytes { raw in
            Result { () throws(JSONParseError) in try JSONParser.parse(raw) }
        }
        return try result.get()
    }

    // MARK: - Objects

    @Test("keeps object members in order, duplicates included")
    func keepsMembersInOrder() throws {
        let value = try parseRaw(Array(#" { "b" : 1, "a": [true, false, null], "b": {} } "#.utf8))
        let members = try #require(value.objectMembers)
        #expect(members.map(\.key) == ["b", "a", "b"])
        #expect(value["b"]?.objectMembers?.count == 0, "the last of two equal keys wins a lookup")
    }

    @Test("keeps keys that Swift strings would call equal")
    func exactKeys() throws {
        let value = try parse(#"{"\u00e9": 1, "e\u0301": 2}"#)
        let members = try #require(value.objectMembers)
        #expect(members.count == 2)
        #expect(members.map { Array($0.key.unicodeScalars) } == [["\u{E9}"], ["e", "\u{301}"]])
        #expect(value["\u{E9}"]?.int == 1)
        #expect(value["e\u{301}"]?.int == 2)
    }

    // MARK: - Scalars

    @Test("tells integers from other numbers, keeping the latter as written")
    func tellsIntegersApart() throws {
        let items = try #require(
            try parse("[0, -7, 9223372036854775807, 9223372036854775808, 1.5, 2e3, -0.0]").arrayItems)
        #expect(
            items.map(\.summary) == [
                "the integer 0", "the integer -7", "the integer 9223372036854775807",
                "the number 9223372036854775808", "the number 1.5", "the number 2e3", "the number -0.0",
            ])
    }

    @Test("int takes integer literals only; double takes any number")
    func numberAccessors() throws {
        let items = try #require(try parse("[2, 2.0, -2.5e1, 1e400, \"2\"]").arrayItems)
        #expect(items.map(\.int) == [2, nil, nil, nil, nil])
        #expect(items.map(\.double) == [2, 2, -25, .infinity, nil])
    }

    @Test("reads numbers, booleans, null and nesting")
    func values() throws {
        let value = try parse(#" {"a": [1, -2.5e1, true, false, null], "b": {"c": "d"}} "#)
        let items = try #require(value["a"]?.arrayItems)
        #expect(items[0].int == 1)
        #expect(items[1].double == -25)
        #expect(items[2].bool == true)
        #expect(items[3].bool == false)
        #expect(items[4].isNull)
        #expect(!items[0].isNull)
        #expect(items[0].bool == nil)
        #expect(items[0].string == nil)
        #expect(value["b"]?["c"]?.string == "d")
        #expect(value["missing"] == nil)
        #expect(items[0]["a"] == nil, "a lookup in a non-object finds nothing")
    }

    @Test("summarises values for error messages")
    func summaries() throws {
        let items = try #require(try parse(#"[null, true, "short", {"a": 1}, []]"#).arrayItems)
        #expect(
            items.map(\.summary) == [
                "null", "the boolean true", "the string \"short\"", "an object of 1 members", "an array of 0",
            ])
        let long = try parse("\"" + String(repeating: "x", count: 50) + "\"")
        #expect(long.summary == "the string \"" + String(repeating: "x", count: 40) + "…\"")
    }

    // MARK: - Strings

    @Test("decodes escapes, surrogate pairs and raw UTF-8 in strings")
    func decodesStrings() throws {
        #expect(try parse(#""a\"b\\c\/d\n\t\u00e9\ud83d\ude00ü""#).string == "a\"b\\c/d\n\té😀ü")
        #expect(try parse(#""a\"\\\/\b\f\n\r\t\ud83d\ude00""#).string == "a\"\\/\u{8}\u{C}\n\r\t😀")
        #expect(try parse(#""ü\n""#).string == "ü\n")
    }

    @Test(
        "refuses strings that are not UTF-8, with or without escapes, at their opening quote",
        arguments: [
            [0x20, 0x22, 0xFF, 0x22],  // a byte that never starts UTF-8
            [0x20, 0x22, 0x5C, 0x6E, 0xC3, 0x22],  // a sequence cut short, after an escape
            [0x20, 0x22, 0xED, 0xA0, 0x80, 0x22],  // a surrogate encoded as UTF-8
        ] as [[UInt8]]
    )
    func refusesInvalidUTF8(bytes: [UInt8]) {
        let failure = #expect(throws: JSONParseError.self) { try JSONParser.parse(bytes) }
        #expect(failure == JSONParseError(offset: 1, message: "string is not valid UTF-8"))
    }

    // MARK: - Refusals

    @Test(
        "refuses what RFC 8259 refuses",
        arguments: [
            "", "[1,]", "{\"a\" 1}", "{\"a\": }", "01", "1.", "-", ".5", "+1", "1e", "\"\\x\"", "\"\\ud800\"",
            "\"\\udc00\"", "\"a\nb\"", "'a'", "[1] [2]", "{\"a\": 1} x", "nul", "{\"a\":1,}", "[", "\"abc",
            "\"unterminated", "{1: 2}", "NaN", "Infinity",
        ]
    )
    func refusesInvalid(text: String) {
        #expect(throws: JSONParseError.self) { try parse(text) }
    }

    @Test("says where the text went wrong")
    func reportsOffset() {
        let failure = #expect(throws: JSONParseError.self) { try parse("[1, 2, x]") }
        #expect(failure?.offset == 7)
        #expect(failure?.message == "expected a value, found 'x'")

        let colon = #expect(throws: JSONParseError.self) { try parse(#"{"a" 1}"#) }
        #expect(colon?.description == "expected ':', found '1' at byte 5")
    }

    @Test("refuses nesting deeper than maxDepth without exhausting the stack")
    func refusesDeepNesting() throws {
        let depth = JSONParser.maxDepth
        let deepest = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
        #expect(throws: Never.self) { try parse(deepest) }
        #expect(throws: Never.self) {
            try parse(String(repeating: #"{"a":"#, count: depth) + "1" + String(repeating: "}", count: depth))
        }

        let tooDeep = #expect(throws: JSONParseError.self) { try parse("[" + deepest + "]") }
        #expect(tooDeep?.message == "nesting deeper than \(depth) levels")
        #expect(throws: JSONParseError.self) { try parse(String(repeating: "[", count: 1_000_000)) }
        #expect(throws: JSONParseError.self) { try parse(String(repeating: #"{"a":"#, count: depth + 1)) }
    }
}
