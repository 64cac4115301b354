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

    @Test("the number of an inline list item opens the item, not the sentence before it")
    func inlineListNumbers() {
        #expect(
            AnswerSentences.split("1. Empty the bin; 2. Wash it in cold water; 3. Let it dry.")
                == ["1. Empty the bin;", "2. Wash it in cold water;", "3. Let it dry."])
        #expect(AnswerSentences.split("It charges in 4. Then it runs.") == ["It charges in 4.", "Then it runs."])
        #expect(AnswerSentences.split("Steps: wash it; 5.") == ["Steps: wash it; 5."])
    }
}

@Suite("Degenerate answers")
struct DegenerationGuardTests {
    let passages = [
        Passage(
            number: 1,
            result: SearchResult(
                chunkID: 1, source: "manual.md", headingPath: "Guide > Filter",
                text: "Rinse the filter under the tap. Let it dry for 24 hours before you put it back. Never use soap.",
                score: 0, denseScore: nil, keywordScore: nil))
    ]

    /// What a reader is shown, piece by piece, and whether the answer was ended.
    func shown(_ pieces: [String]) -> (text: String, ended: Bool) {
        var guardian = DegenerationGuard(passages: passages)
        var text = ""
        for piece in pieces {
            text += guardian.feed(piece)
            if guardian.ended { return (text, true) }
        }
        text += guardian.finish()
        return (text, guardian.ended)
    }

    @Test("a long line said twice ends the answer before its repeat, and the repeat is never shown")
    func repeatedLine() {
        let result = shown(["1. Rinse the filter", " in water.\n2. Rinse the filter in water.", "\n3. Rinse"])
        #expect(result.text == "1. Rinse the filter in water.\n" && result.ended)
        #expect(shown(["- Yes\n- Yes\nDone.\n"]) == ("- Yes\n- Yes\nDone.\n", false))
    }

    @Test("text that cannot turn degenerate is passed on at once; a possible repeat is held back")
    func streaming() {
        var guardian = DegenerationGuard(passages: passages)
        #expect(guardian.feed("Rinse the") == "Rinse the")
        #expect(guardian.feed(" filter.\n") == " filter.\n")
        #expect(guardian.feed("2. Rinse") == "")
        #expect(guardian.feed(" it twice") == "2. Rinse it twice")
    }

    @Test("bare citation markers are shown only before a line that says something; a second ends the answer")
    func bareMarkers() {
        #expect(shown(["It is safe [1].\n1. [1]\n2. [2]\n"]) == ("It is safe [1].\n", true))
        #expect(shown(["1. [1]\n", "Dry it first.\n"]) == ("1. [1]\nDry it first.\n", false))
        #expect(shown(["[1]"]) == ("", false))
    }

    @Test("an answer that opens by copying a passage keeps its words, cited; a later header ends it")
    func passageHeader() {
        #expect(
            shown(["1. [1] Filter: Rinse the filter", " under the tap.\n"])
                == ("Rinse the filter under the tap. [1]\n", false))
        #expect(shown(["[1] Filter: Rinse it.\n[1] Filter: Dry it.\n"]) == ("Rinse it. [1]\n", true))
        #expect(shown(["Rinse it [1].\n\n[1] Filter: Rinse it.\n"]) == ("Rinse it [1].\n\n", true))
        #expect(shown(["[1] Filter:\n"]) == ("", true))
    }

    @Test("a phrase between citation markers said again ends the answer, also inside one held line")
    func repeatedPhrase() {
        let list = shown(["[1] Filter: [2] Cleaning the side brush: [3] Cleaning the side brush: [4] Clean"])
        #expect(list.text.isEmpty && list.ended)
        #expect(DegenerationGuard.saysNothing(list.text))
        var guardian = DegenerationGuard(passages: passages)
        #expect(guardian.feed("Rinse the filter [1]. Rinse the") == "Rinse the filter [1]. ")
        #expect(guardian.feed(" tap [2]. Rinse the filter") == "Rinse the tap [2]. ")
        #expect(guardian.feed(" [1].") == "" && guardian.ended)
        // A line that turns safe while its phrase may still repeat one: the phrase stays held.
        var second = DegenerationGuard(passages: passages)
        #expect(second.feed("E2 means the cliff sensors are dirty.\n") == "E2 means the cliff sensors are dirty.\n")
        #expect(second.feed("So [2] E2 means") == "So [2] ")
        #expect(second.feed(" the cliff sensors are dirty.") == "")
        #expect(second.finish() == "" && second.ended)
        // A list number before such a phrase is held with it.
        #expect(
            shown(["Vacuum first, then mop.\n", "6. [6] Vacuum", " first, then mop."]) == (
                "Vacuum first, then mop.\n", true
            ))
        #expect(
            shown(["Vacuum first, then mop.\n", "6. [6] Vacuum", " the bin."]) == (
                "Vacuum first, then mop.\n6. [6] Vacuum the bin.", false
            ))
    }

    @Test("a held line is decided once it grows past the hold limit: an opening passage copy streams from there")
    func longHeldLine() {
        let words = (0..<60).map { "word\($0)" }.joined(separator: " ")
        var guardian = DegenerationGuard(passages: passages)
        let early = guardian.feed("[1] Filter: " + words)
        #expect(!early.isEmpty && words.hasPrefix(early))
        let rest = guardian.feed(" end.") + guardian.finish()
        #expect(early + rest == words + " end. [1]")
        #expect(!guardian.ended)
    }

    @Test("an answer of nothing but markers says nothing; the passage extract speaks instead")
    func extract() throws {
        #expect(DegenerationGuard.saysNothing(""))
        #expect(DegenerationGuard.saysNothing("1. [1]\n\n- [2]"))
        #expect(!DegenerationGuard.saysNothing("1. [1]\nDry it."))
        let extract = try #require(PassageExtract.answer(from: passages))
        #expect(
            extract
                == "Rinse the filter under the tap. Let it dry for 24 hours before you put it back. Never use soap. [1]"
        )
        var long = passages[0]
        long.text = String(repeating: "The filter is a pleated HEPA sheet in a plastic frame. ", count: 10)
        let short = try #require(PassageExtract.answer(from: [long]))
        #expect(short.count <= PassageExtract.characterLimit + 4 && short.hasSuffix(". [1]"))
        #expect(PassageExtract.answer(from: []) == nil)
    }
}
