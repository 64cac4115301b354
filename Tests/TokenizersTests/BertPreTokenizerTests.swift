import Testing

@testable import Tokenizers

@Suite("BertPreTokenizer")
struct BertPreTokenizerTests {
    private func words(_ text: String) -> [String] {
        let scalars = Array(text.unicodeScalars)
        var ranges: [Range<Int>] = []
        BertPreTokenizer().split(scalars, range: scalars.indices, into: &ranges)
        return ranges.map { range in
            var word = String.UnicodeScalarView()
            word.append(contentsOf: scalars[range])
            return String(word)
        }
    }

    @Test("splits on whitespace and drops it")
    func whitespace() {
        #expect(words("  leading\tand\n\ntrailing \u{3000}x\u{85}y  ") == ["leading", "and", "trailing", "x", "y"])
    }

    @Test("isolates each punctuation character")
    func punctuation() {
        #expect(words("wait...what?!") == ["wait", ".", ".", ".", "what", "?", "!"])
        #expect(words("«quoted»—dash") == ["«", "quoted", "»", "—", "dash"])
    }

    @Test("treats every non-alphanumeric ASCII character as punctuation, as BERT does")
    func asciiSymbols() {
        #expect(
            words("$5+3^2|x`y~z<w>=") == [
                "$", "5", "+", "3", "^", "2", "|", "x", "`", "y", "~", "z", "<", "w", ">", "=",
            ])
    }

    @Test("does not split on symbols outside ASCII")
    func unicodeSymbols() {
        #expect(words("40°C 5€ a©b") == ["40°C", "5€", "a©b"])
    }

    @Test("does not split on punctuation newer than HF's Unicode 8.0 tables")
    func newerPunctuation() {
        #expect(words("a\u{2E43}b\u{2E3B}c") == ["a\u{2E43}b", "\u{2E3B}", "c"])
        // U+166D was punctuation in Unicode 8.0 (a symbol today).
        #expect(words("a\u{166D}b") == ["a", "\u{166D}", "b"])
    }

    @Test("finds no words in empty or blank text")
    func blank() {
        #expect(words("").isEmpty)
        #expect(words(" \t\n").isEmpty)
    }
}
