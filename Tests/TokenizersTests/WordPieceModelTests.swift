import Testing

@testable import Tokenizers

@Suite("WordPieceModel")
struct WordPieceModelTests {
    private let vocabulary = [
        "[UNK]", "un", "##aff", "##able", "aff", "a", "##a", "##aa", "##b", "##ে", "s", "##", "#",
    ]

    private func model(maxCharacters: Int = 100) -> WordPieceModel {
        let entries = vocabulary.enumerated().map { (token: $0.element, id: $0.offset) }
        return WordPieceModel(
            trie: VocabularyTrie(vocabulary: entries, continuingSubwordPrefix: "##"),
            unknownID: 0, maxInputCharactersPerWord: maxCharacters)
    }

    private func pieces(_ word: String, maxCharacters: Int = 100) -> [String] {
        let scalars = Array(word.unicodeScalars)
        var ids: [Int] = []
        model(maxCharacters: maxCharacters).appendPieces(of: scalars, word: scalars.indices, to: &ids)
        return ids.map { vocabulary[$0] }
    }

    @Test("cuts a word into the longest pieces first")
    func greedy() {
        #expect(pieces("unaffable") == ["un", "##aff", "##able"])
        #expect(pieces("aaaaa") == ["a", "##aa", "##aa"])
    }

    @Test("turns the whole word into [UNK] when some rest cannot be pieced")
    func unknownWord() {
        #expect(pieces("unaffablez") == ["[UNK]"])
        #expect(pieces("zun") == ["[UNK]"])
    }

    @Test("turns a word longer than max_input_chars_per_word into [UNK] without trying")
    func overlongWord() {
        #expect(pieces("aaaaa", maxCharacters: 4) == ["[UNK]"])
        #expect(pieces("aaaa", maxCharacters: 4) == ["a", "##aa", "##a"])
    }

    @Test("finds continuation pieces whose prefix joins a spacing mark into one Character")
    func prefixBeforeSpacingMark() {
        // "##ে" is two Characters ("#", "#ে"), so a Character-based hasPrefix("##") misses it.
        #expect(pieces("sে") == ["s", "##ে"])
    }

    @Test("looks up exact spellings in the trie")
    func exactLookup() {
        let trie = VocabularyTrie(
            vocabulary: vocabulary.enumerated().map { (token: $0.element, id: $0.offset) },
            continuingSubwordPrefix: "##")
        #expect(trie.id(of: "##aff") == 2)
        #expect(trie.id(of: "##") == 11)
        #expect(trie.id(of: "un") == 1)
        #expect(trie.id(of: "u") == nil)
        #expect(trie.id(of: "") == nil)
    }

    @Test("keeps canonically equivalent spellings apart")
    func exactSpellings() {
        let trie = VocabularyTrie(
            vocabulary: [(token: "\u{E9}", id: 0), (token: "e\u{301}", id: 1)], continuingSubwordPrefix: "##")
        #expect(trie.id(of: "\u{E9}") == 0)
        #expect(trie.id(of: "e\u{301}") == 1)
    }

    @Test("grows its edge table past the first allocation")
    func manyTokens() {
        let entries = (0..<40_000).map { (token: "t\($0)", id: $0) }
        let trie = VocabularyTrie(vocabulary: entries, continuingSubwordPrefix: "##")
        #expect(trie.id(of: "t0") == 0)
        #expect(trie.id(of: "t39999") == 39_999)
        #expect(trie.id(of: "t40000") == nil)
    }
}
