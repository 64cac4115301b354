import Testing

@testable import Tokenizers

@Suite("TokenVocabulary")
struct TokenVocabularyTests {
    private func vocabulary(_ tokens: [String]) throws -> TokenVocabulary {
        try TokenVocabulary(tokens) { .invalidVocabulary(path: "test", reason: $0) }
    }

    @Test("finds every token by id and by string, multi-byte and long ones included")
    func roundTrips() throws {
        let tokens = ["a", "Ġthe", "", "日本語", String(repeating: "x", count: 40), "ĊĊ", "<|im_start|>"]
        let table = try vocabulary(tokens)
        #expect(table.count == tokens.count)
        for (id, token) in tokens.enumerated() {
            #expect(table.string(id) == token)
            #expect(Array(table.utf8(id)) == Array(token.utf8))
            if !token.isEmpty { #expect(table.id(of: token) == Int32(id), "\(token)") }
        }
        #expect(table.id(of: "") == nil)
        #expect(table.id(of: "the") == nil && table.id(of: "日本") == nil && table.id(of: "ab") == nil)
    }

    @Test("a table of 50,000 tokens (three quarters full) finds each and nothing else")
    func large() throws {
        let tokens = (0..<50_000).map { "t\($0)" }
        let table = try vocabulary(tokens)
        for id in Swift.stride(from: 0, to: tokens.count, by: 7) { #expect(table.id(of: tokens[id]) == Int32(id)) }
        #expect(table.id(of: "t50000") == nil && table.id(of: "t") == nil)
    }

    @Test("a string that appears twice is refused, naming both ids; empty strings may repeat")
    func duplicates() throws {
        #expect(
            throws: TokenizerError.invalidVocabulary(path: "test", reason: "token 'b' appears twice, as ids 1 and 3")
        ) {
            try vocabulary(["a", "b", "c", "b"])
        }
        #expect(try vocabulary(["", "a", ""]).count == 3)
    }
}
