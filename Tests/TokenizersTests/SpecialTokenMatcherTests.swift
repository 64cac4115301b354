import Testing

@testable import Tokenizers

@Suite("Special tokens")
struct SpecialTokenMatcherTests {
    func segments(_ text: String, _ tokens: [(String, Int)]) -> [SpecialTokenMatcher.Segment] {
        var segments: [SpecialTokenMatcher.Segment] = []
        SpecialTokenMatcher(tokens.map { (text: $0.0, id: $0.1) }).split(Array(text.unicodeScalars), into: &segments)
        return segments
    }

    @Test("cuts the longest token out first, wherever it starts, as llama.cpp does")
    func longestFirst() {
        #expect(segments("abcd", [("ab", 1), ("bcd", 2)]) == [.text(0..<1), .token(2)])
        #expect(segments("xaby", [("ab", 1), ("bcd", 2)]) == [.text(0..<1), .token(1), .text(3..<4)])
    }

    @Test("takes repeated occurrences left to right without overlap, and ignores near misses")
    func occurrences() {
        #expect(segments("aaa", [("aa", 7)]) == [.token(7), .text(2..<3)])
        #expect(segments("<|a|><|a|>", [("<|a|>", 5)]) == [.token(5), .token(5)])
        #expect(segments("<|a|", [("<|a|>", 5)]) == [.text(0..<4)])
        #expect(segments("", [("<|a|>", 5)]) == [])
        #expect(segments("plain", []) == [.text(0..<5)])
    }

    @Test("control tokens need parseSpecial, user-defined tokens are matched always, and both decode as written")
    func tokenTypes() throws {
        let tokenizer = try TinyBytePair.tokenizer(extra: [
            ("<think>", 4), ("<|ctl|>", 3), ("<0x41>", 6), ("<unk>", 2), ("<unused0>", 5), ("<|im_end|>", 1),
        ])
        let think = 256
        let control = 257
        let unknown = 259
        let imEnd = 261
        let parsed = tokenizer.encode("x<think>y<|ctl|><unk>")
        #expect(parsed == [Int(UInt8(ascii: "x")), think, Int(UInt8(ascii: "y")), control, unknown])
        let unparsed = tokenizer.encode("x<think>y<|ctl|>", parseSpecial: false)
        #expect(unparsed.contains(think) && !unparsed.contains(control))
        #expect(tokenizer.decode(unparsed) == "x<think>y<|ctl|>")

        #expect(tokenizer.decode([think, control, 258, 260]) == "<think><|ctl|>A")
        #expect(tokenizer.decode([think, control, unknown], skipSpecial: true) == "<think>")
        // `<|im_end|>` ends generation whatever type the file gives it, so it is treated as a control token.
        #expect(tokenizer.tokenType(of: imEnd) == .control && tokenizer.endOfGenerationIDs == [imEnd])
        #expect(tokenizer.encode("a<|im_end|>") == [Int(UInt8(ascii: "a")), imEnd])
    }
}
