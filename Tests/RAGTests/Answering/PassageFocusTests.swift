import Testing

@testable import RAG

@Suite("Passages focused on the question")
struct PassageFocusTests {
    /// Words stand in for tokens: the budget arithmetic is the same.
    static func words(_ text: String) -> Int { text.split(separator: " ").count }

    static let manual = """
        The Aurora X2 ships with a charging dock. Place it on a flat surface near an outlet.
        To clean the filter, open the lid and lift the filter out. Rinse it under cold water for 30 seconds.
        Let it dry for 24 hours before refitting. Never use soap on the filter.
        The warranty covers the motor for two years.
        """

    @Test("a passage within the budget is left whole")
    func shortPassage() {
        let focused = PassageFocus(tokenLimit: 200).focus(
            Self.manual, question: "How do I clean the filter?", countTokens: Self.words)
        #expect(focused == Self.manual)
    }

    @Test("the run of sentences nearest the question is kept, its cut edges marked")
    func focusedRun() {
        let focus = PassageFocus(tokenLimit: 30)
        let focused = focus.focus(Self.manual, question: "How do I clean the filter?", countTokens: Self.words)
        #expect(focused.hasPrefix("… To clean the filter, open the lid"))
        #expect(focused.contains("Rinse it under cold water for 30 seconds."))
        #expect(focused.hasSuffix(" …"))
        #expect(!focused.contains("warranty"))
        #expect(Self.words(focused) <= 30 + 2)
    }

    @Test("the sentence that follows a match comes before the one that precedes it")
    func followingSentenceFirst() {
        let focus = PassageFocus(tokenLimit: 22)
        let focused = focus.focus(Self.manual, question: "warranty motor", countTokens: Self.words)
        #expect(focused.contains("The warranty covers the motor for two years."))
        #expect(focused.hasSuffix("two years."))
        #expect(focused.hasPrefix("… "))
    }

    @Test("a single sentence over the budget keeps its first words")
    func overlongSentence() {
        let text = (1...50).map { "word\($0)" }.joined(separator: " ") + ". Short one."
        let focused = PassageFocus(tokenLimit: 10).focus(text, question: "word3", countTokens: Self.words)
        #expect(focused == "word1 word2 word3 word4 word5 word6 word7 word8 word9 word10 …")
    }

    @Test("no shared word keeps the beginning of the passage")
    func noOverlap() {
        let focused = PassageFocus(tokenLimit: 12).focus(
            Self.manual, question: "zebra", countTokens: Self.words)
        #expect(focused.hasPrefix("The Aurora X2 ships with a charging dock."))
        #expect(focused.hasSuffix(" …"))
    }
}
