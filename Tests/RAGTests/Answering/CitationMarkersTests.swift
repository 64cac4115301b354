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

@Suite("Degenerate answers")
struct DegenerationGuardTests {
    let passages = [
        Passage(
            number: 1,
            result: SearchResult(
                chunkID: 1, source: "manual.md", headingPath: "Guide > Filter", text: "Rinse it.", score: 0,
                denseScore: nil, keywordScore: nil))
    ]

    func firstCut(_ pieces: [String]) -> String? {
        var guardian = DegenerationGuard(passages: passages)
        var text = ""
        for piece in pieces {
            text += piece
            if let cut = guardian.check(piece, textSoFar: text) { return String(text[..<cut]) }
        }
        return nil
    }

    @Test("a long line said twice ends the answer before its repeat")
    func repeatedLine() {
        #expect(
            firstCut(["1. Rinse the filter", " in water.\n2. Rinse the filter in water.", "\n3. Rinse"])
                == "1. Rinse the filter in water.\n")
        #expect(firstCut(["- Yes\n- Yes\nDone.\n"]) == nil)
    }

    @Test("a second line of bare citation markers ends the answer")
    func bareMarkers() {
        #expect(firstCut(["It is safe [1].\n1. [1]\n2. [2]\n"]) == "It is safe [1].\n1. [1]\n")
    }

    @Test("copying a passage header back ends the answer")
    func passageHeader() {
        #expect(firstCut(["Rinse it [1].\n\n[1] Filter: Rinse it.\n"]) == "Rinse it [1].\n\n")
    }
}
