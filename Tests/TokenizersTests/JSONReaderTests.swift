import Testing

@testable import Tokenizers

@Suite("JSONReader")
struct JSONReaderTests {
    private func parse(_ text: String) throws(JSONReaderError) -> JSONValue {
        try JSONReader.parse(Array(text.utf8))
    }

    @Test("keeps keys that Swift strings would call equal")
    func exactKeys() throws {
        guard case .object(let members) = try parse(#"{"\u00e9": 1, "e\u0301": 2}"#) else {
            Issue.record("not an object")
            return
        }
        #expect(members.count == 2)
        #expect(members.map { Array($0.key.unicodeScalars) } == [["\u{E9}"], ["e", "\u{301}"]])
    }

    @Test("decodes escapes and surrogate pairs")
    func escapes() throws {
        #expect(try parse(#""a\"\\\/\b\f\n\r\t\ud83d\ude00""#).string == "a\"\\/\u{8}\u{C}\n\r\t😀")
    }

    @Test("reads numbers, booleans, null and nesting")
    func values() throws {
        let value = try parse(#" {"a": [1, -2.5e1, true, false, null], "b": {"c": "d"}} "#)
        guard case .array(let items)? = value["a"] else {
            Issue.record("no array")
            return
        }
        #expect(items[0].int == 1)
        #expect(items[1].int == -25)
        #expect(items[2].bool == true)
        #expect(items[3].bool == false)
        #expect(items[4].isNull)
        #expect(value["b"]?["c"]?.string == "d")
        #expect(value["missing"] == nil)
    }

    @Test("reports where the text stops being JSON")
    func errors() {
        #expect(throws: JSONReaderError.self) { try parse(#"{"a": }"#) }
        do {
            _ = try parse(#"{"a" 1}"#)
            Issue.record("accepted invalid JSON")
        } catch {
            #expect(error.message == "expected ':' at byte 5")
        }
        #expect(throws: JSONReaderError.self) { try parse(#"{"a": 1} x"#) }
        #expect(throws: JSONReaderError.self) { try parse(#""unterminated"#) }
        #expect(throws: JSONReaderError.self) { try parse(#""\ud800""#) }
    }
}
