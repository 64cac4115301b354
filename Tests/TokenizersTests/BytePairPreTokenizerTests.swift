import Testing

@testable import Tokenizers

/// Expected words are worked out by hand from the regexes in `BytePairPreTokenizer`'s documentation.
@Suite("BytePairPreTokenizer")
struct BytePairPreTokenizerTests {
    func words(_ text: String, _ kind: BytePairPreTokenizer.Kind) -> [String] {
        let scalars = Array(text.unicodeScalars)
        var ranges: [Range<Int>] = []
        BytePairPreTokenizer(kind: kind).split(scalars, range: scalars.indices, into: &ranges)
        #expect(ranges.map(\.count).reduce(0, +) == scalars.count, "words must cover the text")
        return ranges.map { range in
            var view = String.UnicodeScalarView()
            view.append(contentsOf: scalars[range])
            return String(view)
        }
    }

    @Test("GPT-2: optional space before letters, numbers or symbols; lowercase contractions; trailing space kept back")
    func gpt2() {
        #expect(
            words("Hello, world! It's 2024.  Done\n\n", .gpt2) == [
                "Hello", ",", " world", "!", " It", "'s", " 2024", ".", " ", " Done", "\n\n",
            ])
        #expect(
            words("Hello WORLD'S 12345 ok\n\n  x", .gpt2) == [
                "Hello", " WORLD", "'", "S", " 12345", " ok", "\n\n ", " x",
            ])
        #expect(words("$x 你好 世界\u{3000}b", .gpt2) == ["$", "x", " 你好", " 世界", "\u{3000}", "b"])
        #expect(words("a \nb", .gpt2) == ["a", " ", "\n", "b"])
        #expect(words("", .gpt2) == [])
    }

    @Test("SmolLM: every number character alone first, so spaces before a digit are a word of their own")
    func smollm() {
        #expect(words("version  2.0   x", .smollm) == ["version", "  ", "2", ".", "0", "  ", " x"])
        #expect(words("x² Ⅻ 3", .smollm) == ["x", "²", " ", "Ⅻ", " ", "3"])
    }

    @Test("Llama 3: any-case contractions, a leading symbol joins letters, numbers by three, line breaks end runs")
    func llama3() {
        #expect(
            words("Hello WORLD'S 12345 ok\n\n  x", .llama3) == [
                "Hello", " WORLD", "'S", " ", "123", "45", " ok", "\n\n", " ", " x",
            ])
        #expect(words("a...\n\nb$x $y", .llama3) == ["a", "...\n\n", "b", "$x", " $", "y"])
        #expect(words("line\r\n  next", .llama3) == ["line", "\r\n", " ", " next"])
    }

    @Test("Qwen2: Llama 3's regex with every digit alone")
    func qwen2() {
        #expect(
            words("Hello WORLD'S 12345 ok\n\n  x", .qwen2) == [
                "Hello", " WORLD", "'S", " ", "1", "2", "3", "4", "5", " ok", "\n\n", " ", " x",
            ])
    }

    @Test("llama.cpp's default: punctuation runs, GPT-2, number runs, then ASCII digits by three")
    func standard() {
        #expect(words("a+b=12345!", .standard) == ["a", "+", "b", "=", "123", "45", "!"])
        #expect(words("x 2024", .standard) == ["x", " ", "202", "4"])
    }

    @Test("maps llama.cpp's pre-tokenizer names to their chains, and knows no others")
    func names() {
        #expect(BytePairPreTokenizer.kind(named: "smollm") == .smollm)
        #expect(BytePairPreTokenizer.kind(named: "gpt-2") == .gpt2)
        #expect(BytePairPreTokenizer.kind(named: "qwen2") == .qwen2)
        #expect(BytePairPreTokenizer.kind(named: "llama-bpe") == .llama3)
        #expect(BytePairPreTokenizer.kind(named: "") == .standard)
        #expect(BytePairPreTokenizer.kind(named: "default") == .standard)
        #expect(BytePairPreTokenizer.kind(named: "tekken") == nil)
        #expect(BytePairPreTokenizer.isLlama3Family("llama3") && !BytePairPreTokenizer.isLlama3Family("dbrx"))
    }
}
