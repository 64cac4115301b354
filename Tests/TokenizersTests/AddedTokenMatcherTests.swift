import Testing

@testable import Tokenizers

@Suite("AddedTokenMatcher")
struct AddedTokenMatcherTests {
    private func segments(
        _ text: String, _ tokens: [(String, Int, Bool)]
    ) -> [String] {
        let matcher = AddedTokenMatcher(tokens.map { (Array($0.0.unicodeScalars), $0.1, $0.2) })
        let scalars = Array(text.unicodeScalars)
        var result: [AddedTokenMatcher.Segment] = []
        matcher.split(scalars, range: scalars.indices, into: &result)
        return result.map { segment in
            switch segment {
            case .token(let id): return "#\(id)"
            case .text(let range):
                var part = String.UnicodeScalarView()
                part.append(contentsOf: scalars[range])
                return String(part)
            }
        }
    }

    @Test("cuts tokens out of the text, even inside words")
    func cuts() {
        #expect(
            segments("a [SEP] b x[MASK]y", [("[SEP]", 102, false), ("[MASK]", 103, false)])
                == ["a ", "#102", " b x", "#103", "y"])
    }

    @Test("matches case-sensitively")
    func caseSensitive() {
        #expect(segments("[sep]", [("[SEP]", 102, false)]) == ["[sep]"])
    }

    @Test("prefers the longest token at the leftmost position")
    func leftmostLongest() {
        #expect(segments("<ab>c", [("<a", 1, false), ("<ab>", 2, false), ("b>c", 3, false)]) == ["#2", "c"])
    }

    @Test("passes over a single-word token that touches a word character")
    func singleWord() {
        #expect(
            segments("foo xfoo foo_ foo. 1foo", [("foo", 7, true)])
                == ["#7", " xfoo foo_ ", "#7", ". 1foo"])
    }

    @Test("has nothing to do without tokens")
    func empty() {
        #expect(AddedTokenMatcher([]).isEmpty)
        #expect(segments("abc", []) == ["abc"])
        #expect(segments("", [("x", 1, false)]) == [])
    }
}
