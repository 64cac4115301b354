import Testing

@testable import Tokenizers

@Suite("BytePairModel")
struct BytePairModelTests {
    func tokens(_ text: String, _ tokenizer: BytePairTokenizer) -> [String] {
        TinyBytePair.tokens(tokenizer.encode(text), in: tokenizer)
    }

    @Test("merges the pair of lowest rank first")
    func lowestRankFirst() throws {
        let extra = [("ab", 1), ("bc", 1)]
        #expect(tokens("abc", try TinyBytePair.tokenizer(extra: extra, merges: ["a b", "b c"])) == ["ab", "c"])
        #expect(tokens("abc", try TinyBytePair.tokenizer(extra: extra, merges: ["b c", "a b"])) == ["a", "bc"])
    }

    @Test("merges the leftmost of equal pairs first, and merges merged tokens further")
    func leftmostFirst() throws {
        let tokenizer = try TinyBytePair.tokenizer(extra: [("aa", 1), ("aaaa", 1)], merges: ["a a", "aa aa"])
        #expect(tokens("aaa", tokenizer) == ["aa", "a"])
        #expect(tokens("aaaaa", tokenizer) == ["aaaa", "a"])
        #expect(tokens("aaaaaaaaaa", tokenizer) == ["aaaa", "aaaa", "aa"])
    }

    @Test("merges within words only: the pre-tokenizer's boundaries hold")
    func mergesWithinWords() throws {
        let tokenizer = try TinyBytePair.tokenizer(extra: [("ab", 1), ("Ġb", 1)], merges: ["a b", "Ġ b"])
        #expect(tokens("ab a b", tokenizer) == ["ab", "Ġ", "a", "Ġb"])
    }

    @Test("Llama 3's names look a whole word up before merging")
    func ignoresMergesForLlama3() throws {
        let extra = [("ab", 1), ("abc", 1), ("<s>", 3)]
        let gpt2 = try TinyBytePair.tokenizer(extra: extra, merges: ["a b"])
        #expect(tokens("abc", gpt2) == ["ab", "c"])
        let llama3 = try TinyBytePair.tokenizer(
            extra: extra, merges: ["a b"], preTokenizer: "llama-bpe", beginningOfSequenceID: 258)
        #expect(tokens("abc", llama3) == ["abc"])
        #expect(llama3.addsBeginningOfSequence)
        #expect(TinyBytePair.tokens(llama3.encode("abc", addSpecialTokens: true), in: llama3) == ["<s>", "abc"])
    }

    @Test("drops a byte the vocabulary has no token for, as llama.cpp does")
    func dropsMissingBytes() throws {
        let tokenizer = try TinyBytePair.tokenizer(removing: ["z"])
        #expect(tokens("azb", tokenizer) == ["a", "b"])
    }

    @Test("encodes multi-byte characters as their UTF-8 bytes when no merge joins them")
    func encodesBytes() throws {
        let tokenizer = try TinyBytePair.tokenizer()
        let ids = tokenizer.encode("é😀")
        #expect(ids == [0xC3, 0xA9, 0xF0, 0x9F, 0x98, 0x80])
        #expect(tokenizer.decode(ids) == "é😀")
        #expect(tokenizer.decode(Array(ids.prefix(3))) == "é\u{FFFD}")
    }
}
