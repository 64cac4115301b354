import Testing

@testable import ModelFiles

@Suite("JSONParser")
struct JSONParserTests {
    func parse(_ text: String) throws(JSONParser.Failure) -> JSONValue {
        let bytes = Array(text.utf8)
        let result = bytes.withUnsafeBytes { raw in
            Result { () throws(JSONParser.Failure) in try JSONParser.parse(raw) }
        }
        return try result.get()
    }

    @Test("keeps object members in order, duplicates included")
    func keepsMembersInOrder() throws {
        guard case .object(let members) = try parse(#" { "b" : 1, "a": [true, false, null], "b": {} } "#) else {
            Issue.record("expected an object")
            return
        }
        #expect(members.map(\.key) == ["b", "a", "b"])
    }

    @Test("tells integers from other numbers, keeping the latter as written")
    func tellsIntegersApart() throws {
        guard case .array(let items) = try parse("[0, -7, 9223372036854775807, 9223372036854775808, 1.5, 2e3, -0.0]")
        else {
            Issue.record("expected an array")
            return
        }
        #expect(
            items.map(\.summary) == [
                "the integer 0", "the integer -7", "the integer 9223372036854775807",
                "the number 9223372036854775808", "the number 1.5", "the number 2e3", "the number -0.0",
            ])
    }

    @Test("decodes escapes, surrogate pairs and raw UTF-8 in strings")
    func decodesStrings() throws {
        guard case .string(let text) = try parse(#""a\"b\\c\/d\n\t\u00e9\ud83d\ude00ü""#) else {
            Issue.record("expected a string")
            return
        }
        #expect(text == "a\"b\\c/d\n\té😀ü")
    }

    @Test(
        "refuses what RFC 8259 refuses",
        arguments: [
            "", "[1,]", "{\"a\" 1}", "01", "1.", "-", ".5", "1e", "\"\\x\"", "\"\\ud800\"", "\"\\udc00\"",
            "\"a\nb\"", "'a'", "[1] [2]", "nul", "{\"a\":1,}", "[", "\"abc",
        ]
    )
    func refusesInvalid(text: String) {
        #expect(throws: JSONParser.Failure.self) { try parse(text) }
    }

    @Test("says where the text went wrong")
    func reportsOffset() {
        let failure = #expect(throws: JSONParser.Failure.self) { try parse("[1, 2, x]") }
        #expect(failure?.offset == 7)
        #expect(failure?.reason == "expected a value, found 'x'")
    }
}
