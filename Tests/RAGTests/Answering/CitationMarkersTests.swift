import Testing

@testable import RAG

@Suite("Citation markers in answers")
struct CitationMarkersTests {
    @Test("numbers in order of first use, lists and repeats folded")
    func numbers() {
        #expect(CitationMarkers.numbers(in: "Charge it [2]. Then reset [1, 3] and again [2][4].") == [2, 1, 3, 4])
        #expect(CitationMarkers.numbers(in: "See [Passage 2] and [1 and 3].") == [2, 1, 3])
    }

    @Test("brackets holding anything else are not markers")
    func notMarkers() {
        #expect(CitationMarkers.numbers(in: "Press [OK] then [Menu], set [0] or [1.5] or [x1] or [1000]").isEmpty)
        #expect(CitationMarkers.numbers(in: "unclosed [1").isEmpty)
    }

    @Test("strip removes markers and the spaces before them")
    func strip() {
        #expect(
            CitationMarkers.strip("It lasts 90 minutes [1]. Charge it [2, 3].") == "It lasts 90 minutes. Charge it.")
    }
}

@Suite("Answer sentences")
struct AnswerSentencesTests {
    @Test("a marker after the full stop stays with its sentence")
    func trailingMarker() {
        #expect(
            AnswerSentences.split("It lasts 90 minutes. [1] Charge it overnight. [2]\n- Clean the filter.")
                == ["It lasts 90 minutes. [1]", "Charge it overnight. [2]", "- Clean the filter."])
    }
}
