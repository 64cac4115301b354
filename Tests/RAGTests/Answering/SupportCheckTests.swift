import Testing

@testable import RAG

@Suite("Support of answer sentences by passages")
struct SupportCheckTests {
    let passages = [
        Passage(
            number: 1,
            result: SearchResult(
                chunkID: 10, source: "manual.md", headingPath: "Battery",
                text: "The battery lasts 90 minutes on the standard suction setting. A full charge takes 4 hours.",
                score: 0.03, denseScore: 0.7, keywordScore: nil)),
        Passage(
            number: 2,
            result: SearchResult(
                chunkID: 11, source: "manual.md", headingPath: "Filter",
                text: "Rinse the filter under cold water every two weeks and let it dry for 24 hours.",
                score: 0.02, denseScore: 0.5, keywordScore: nil)),
    ]

    @Test("a sentence whose words are in the passage it cites is supported")
    func supported() {
        let verdict = SupportCheck().check("The battery lasts 90 minutes on standard suction [1].", passages: passages)
        #expect(verdict.count == 1)
        #expect(verdict[0].supported)
        #expect(verdict[0].cited == [1])
        #expect(verdict[0].support >= 0.8)
    }

    @Test("a sentence citing the wrong passage, or with facts in none, is flagged")
    func unsupported() {
        let verdict = SupportCheck().check(
            "The battery lasts 90 minutes on standard suction [2]. The warranty covers accidental water damage for five years.",
            passages: passages)
        #expect(verdict.map(\.supported) == [false, false])
    }

    @Test("an uncited supported sentence names its best passage; short sentences are not judged")
    func inferred() {
        let verdict = SupportCheck().check(
            "Sure! Rinse the filter under cold water every two weeks.", passages: passages)
        #expect(verdict.count == 2)
        #expect(verdict[0].supported && verdict[0].bestPassage == nil)
        #expect(verdict[1].supported && verdict[1].bestPassage == 2 && verdict[1].cited.isEmpty)
    }

    @Test("markers alone on a line are not judged, so they cite nothing")
    func bareMarkers() {
        let verdict = SupportCheck().check("[1] [2]\nRinse the filter under cold water [2].", passages: passages)
        #expect(verdict.map(\.judged) == [false, true])
    }

    @Test("Chinese is compared character by character")
    func chinese() {
        #expect(ContentWords.of("电池续航90分钟") == ["电", "池", "续", "航", "90", "分", "钟"])
        #expect(ContentWords.of("The filters don't last") == ["filter", "dont", "last"])
    }
}
