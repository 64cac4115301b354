import Foundation
import Testing

@testable import Tokenizers

@Suite("WordPieceTokenizer")
struct WordPieceTokenizerTests {
    /// "text 3 (“The maintenance log…”): first difference at position 17: expected 2005 (for), got 2000 (to)".
    private func difference(
        _ expected: [Int], _ actual: [Int], text: String, tokenizer: WordPieceTokenizer
    ) -> String? {
        guard expected != actual else { return nil }
        let position =
            zip(expected, actual).enumerated().first(where: { $0.element.0 != $0.element.1 })?.offset
            ?? min(expected.count, actual.count)
        func describe(_ ids: [Int]) -> String {
            guard position < ids.count else { return "nothing (length \(ids.count))" }
            return "\(ids[position]) (\(tokenizer.token(for: ids[position]) ?? "?"))"
        }
        return "text \(text.debugDescription.prefix(120)): first difference at position \(position): "
            + "expected \(describe(expected)), got \(describe(actual))"
    }

    @Test("encodes every fixture text exactly as sentence-transformers did")
    func fixtureIDs() throws {
        let tokenizer = try TestResources.miniLM()
        let fixtures = try TestResources.miniLMFixtures()
        #expect(fixtures.count == 16)
        for fixture in fixtures {
            let ids = tokenizer.encode(fixture.text, maxLength: 256)
            let message = difference(fixture.inputIDs, ids, text: fixture.text, tokenizer: tokenizer)
            #expect(message == nil, "\(message ?? "")")
        }
    }

    @Test("counts the untruncated pieces of every fixture text")
    func fixtureLengths() throws {
        let tokenizer = try TestResources.miniLM()
        for fixture in try TestResources.miniLMFixtures() {
            let count = tokenizer.tokenize(fixture.text).count + 2
            #expect(
                count == fixture.untruncatedCount,
                "text \(fixture.text.debugDescription.prefix(120)): \(count) tokens, expected \(fixture.untruncatedCount)"
            )
            #expect((count > 256) == fixture.truncated)
        }
    }

    @Test("maps fixture ids back to the fixture's token strings")
    func fixtureTokens() throws {
        let tokenizer = try TestResources.miniLM()
        for fixture in try TestResources.miniLMFixtures() {
            #expect(fixture.inputIDs.map { tokenizer.token(for: $0) } == fixture.tokens.map { Optional($0) })
        }
    }

    @Test("reads the special token ids and the vocabulary size")
    func specialTokens() throws {
        let tokenizer = try TestResources.miniLM()
        #expect(tokenizer.clsID == 101)
        #expect(tokenizer.sepID == 102)
        #expect(tokenizer.padID == 0)
        #expect(tokenizer.unknownID == 100)
        #expect(tokenizer.vocabularySize == 30522)
        #expect(tokenizer.token(for: 2088) == "world")
        #expect(tokenizer.token(for: -1) == nil)
        #expect(tokenizer.token(for: 30522) == nil)
    }

    @Test("keeps [SEP] last when it truncates")
    func truncation() throws {
        let tokenizer = try TestResources.miniLM()
        let text = String(repeating: "The quick brown fox jumps over the lazy dog. ", count: 40)
        let pieces = tokenizer.tokenize(text)
        for maxLength in [2, 3, 10, 128, 256] {
            let ids = tokenizer.encode(text, maxLength: maxLength)
            #expect(ids.count == maxLength)
            #expect(ids.first == tokenizer.clsID)
            #expect(ids.last == tokenizer.sepID)
            #expect(Array(ids.dropFirst().dropLast()) == Array(pieces.prefix(maxLength - 2)))
        }
    }

    @Test("does not pad a short text, whatever tokenizer.json says")
    func noPadding() throws {
        let tokenizer = try TestResources.miniLM()
        #expect(tokenizer.encode("hello world", maxLength: 256) == [101, 7592, 2088, 102])
    }

    @Test("encodes empty text as [CLS] [SEP]")
    func emptyText() throws {
        let tokenizer = try TestResources.miniLM()
        #expect(tokenizer.encode("", maxLength: 256) == [101, 102])
        #expect(tokenizer.encode(" \n\t\u{200B}", maxLength: 256) == [101, 102])
        #expect(tokenizer.tokenize("").isEmpty)
    }

    @Test("treats a maxLength below 2 as 2", arguments: [Int.min, -1, 0, 1, 2])
    func tinyMaxLength(maxLength: Int) throws {
        let tokenizer = try TestResources.miniLM()
        #expect(tokenizer.encode("hello world", maxLength: maxLength) == [101, 102])
    }

    @Test("strips accents but keeps ß")
    func accents() throws {
        let tokenizer = try TestResources.miniLM()
        #expect(tokenizer.tokenize("Café NAÏVE") == tokenizer.tokenize("cafe naive"))
        #expect(tokenizer.tokenize("Straße").map { tokenizer.token(for: $0) } == ["st", "##raße"])
    }

    @Test("splits CJK characters one per token")
    func chinese() throws {
        let tokenizer = try TestResources.miniLM()
        // 有 and 的 are in the vocabulary; 商品 are not, and each is its own [UNK].
        #expect(tokenizer.tokenize("有商品的") == [1873, 100, 100, 1916])
    }

    @Test("turns a run of emoji without spaces into one [UNK]")
    func emojiRun() throws {
        let tokenizer = try TestResources.miniLM()
        #expect(tokenizer.tokenize("fast 🚚💨 and") == [3435, 100, 1998])
        #expect(tokenizer.tokenize("🚚 💨") == [100, 100])
    }

    @Test("turns a word of more than 100 characters into [UNK]")
    func overlongWord() throws {
        let tokenizer = try TestResources.miniLM()
        #expect(tokenizer.tokenize(String(repeating: "a", count: 101)) == [100])
        #expect(tokenizer.tokenize(String(repeating: "a", count: 100)).count == 50)
    }

    @Test("isolates punctuation, including ASCII symbols")
    func punctuation() throws {
        let tokenizer = try TestResources.miniLM()
        let tokens = tokenizer.tokenize("what?!? $5+x|y").map { tokenizer.token(for: $0) ?? "?" }
        #expect(tokens == ["what", "?", "!", "?", "$", "5", "+", "x", "|", "y"])
    }

    @Test("finds special tokens written in the text, case-sensitively")
    func specialTokensInText() throws {
        let tokenizer = try TestResources.miniLM()
        // Reference: HF tokenizers 0.23.3 on all-MiniLM-L6-v2.
        #expect(
            tokenizer.tokenize("hello [SEP] world x[MASK]y [cls] [PAD][UNK]")
                == [7592, 102, 2088, 1060, 103, 1061, 1031, 18856, 2015, 1033, 0, 100])
    }

    @Test("loads vocab.txt and tokenizer_config.json when tokenizer.json is absent")
    func vocabularyFileFallback() throws {
        let reference = try TestResources.miniLM()
        let folder = try TestResources.temporaryFolder()
        for name in ["vocab.txt", "tokenizer_config.json"] {
            try FileManager.default.copyItem(
                at: TestResources.modelFolder.appendingPathComponent(name), to: folder.appendingPathComponent(name))
        }
        let tokenizer = try WordPieceTokenizer(folder: folder)
        #expect(tokenizer.clsID == reference.clsID)
        #expect(tokenizer.sepID == reference.sepID)
        #expect(tokenizer.padID == reference.padID)
        #expect(tokenizer.unknownID == reference.unknownID)
        #expect(tokenizer.vocabularySize == reference.vocabularySize)
        var texts = try TestResources.miniLMFixtures().map(\.text)
        texts.append("hello [SEP] world x[MASK]y")
        for text in texts {
            #expect(tokenizer.encode(text, maxLength: 256) == reference.encode(text, maxLength: 256))
        }
    }

    @Test("gives the same ids from many threads at once")
    func concurrentUse() async throws {
        let tokenizer = try TestResources.miniLM()
        let texts = try TestResources.miniLMFixtures().map(\.text)
        let expected = texts.map { tokenizer.encode($0, maxLength: 256) }
        let results = await withTaskGroup(of: (Int, [Int]).self) { group in
            for round in 0..<8 {
                for (index, text) in texts.enumerated() {
                    group.addTask { (index, tokenizer.encode(text, maxLength: 256 - round)) }
                }
            }
            var results: [(Int, [Int])] = []
            for await result in group { results.append(result) }
            return results
        }
        for (index, ids) in results {
            #expect(ids.dropLast() == expected[index].prefix(ids.count - 1))
            #expect(ids.last == tokenizer.sepID)
        }
    }
}
