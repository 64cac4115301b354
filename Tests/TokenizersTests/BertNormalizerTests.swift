import Testing

@testable import Tokenizers

@Suite("BertNormalizer")
struct BertNormalizerTests {
    /// all-MiniLM-L6-v2's settings: clean text, CJK, lowercase, strip_accents null.
    let uncased = BertNormalizer(cleanText: true, handleChineseCharacters: true, stripAccents: nil, lowercase: true)

    @Test("strips accents by canonical decomposition when lowercasing")
    func stripsAccents() {
        #expect(uncased.normalize("Le café était naïve Zoë, crème brûlée") == "le cafe etait naive zoe, creme brulee")
        // Already decomposed input loses its marks the same way.
        #expect(uncased.normalize("Cafe\u{301}") == "cafe")
    }

    @Test("keeps ß, which has no decomposition")
    func keepsSharpS() {
        #expect(uncased.normalize("Straße") == "straße")
    }

    @Test("decomposes hangul syllables into jamo, as NFD does")
    func hangul() {
        #expect(uncased.normalize("한") == "\u{1112}\u{1161}\u{11AB}")
    }

    @Test("puts spaces around CJK ideographs but not around kana")
    func chineseCharacters() {
        #expect(uncased.normalize("请问Aurora") == " 请  问 aurora")
        #expect(uncased.normalize("カタカナ") == "カタカナ")
        // Compatibility ideographs are padded, then decomposed to the unified ideograph.
        #expect(uncased.normalize("\u{F900}") == " \u{8C48} ")
    }

    @Test("removes control, format and private-use characters and turns whitespace into spaces")
    func cleansText() {
        #expect(
            uncased.normalize("a\u{0}b\u{FFFD}c\u{200B}d\te\u{00A0}f\u{7}g\u{E000}h\r\ni\u{3000}j") == "abcd e fgh  i j"
        )
        // U+000B and U+000C are whitespace to Unicode but controls to BERT: removed, not spaced.
        #expect(uncased.normalize("a\u{B}b\u{C}c") == "abc")
    }

    @Test("lowercases by full Unicode mapping, one character at a time")
    func lowercases() {
        #expect(uncased.normalize("ΣΑΣ") == "σασ")
        #expect(uncased.normalize("İSTANBUL") == "istanbul")
    }

    @Test("keeps accents when strip_accents is false")
    func keepsAccents() {
        let normalizer = BertNormalizer(stripAccents: false, lowercase: true)
        #expect(normalizer.normalize("Café") == "café")
    }

    @Test("changes neither case nor accents for a cased model")
    func cased() {
        let normalizer = BertNormalizer(stripAccents: nil, lowercase: false)
        #expect(normalizer.normalize("Café\tX") == "Café X")
    }

    @Test("follows HF's Unicode 8.0 category tables for newer characters")
    func olderTables() {
        // U+0890 is a format character since Unicode 14: HF does not know it and keeps it.
        #expect(uncased.normalize("a\u{890}b") == "a\u{890}b")
        // U+1885 is a nonspacing mark today but was a letter in Unicode 8.0: kept.
        #expect(uncased.normalize("\u{1885}") == "\u{1885}")
        // U+1734 was a nonspacing mark in Unicode 8.0 (a spacing mark today): dropped.
        #expect(uncased.normalize("a\u{1734}") == "a")
        // U+11938 decomposes since Unicode 13, but not in HF's NFD tables.
        #expect(uncased.normalize("\u{11938}") == "\u{11938}")
    }

    @Test("puts combining marks in canonical order across characters")
    func canonicalOrder() {
        // Both are spacing marks with combining classes 226 and 216: NFD puts 216 first.
        #expect(uncased.normalize("x\u{1D16D}\u{1D165}") == "x\u{1D165}\u{1D16D}")
    }

    @Test("is the identity when every option is off")
    func identity() {
        let text = "Café\u{0}\t한 請"
        #expect(BertNormalizer.identity.normalize(text).unicodeScalars.elementsEqual(text.unicodeScalars))
    }
}
