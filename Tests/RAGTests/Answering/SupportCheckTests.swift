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

    @Test("a sentence in one passage's words with another passage's figure is flagged, naming the figure")
    func borrowedFigure() {
        let intervals = [
            Self.passage(
                1, "Filter", "Replace the HEPA filter every 3 to 6 months, or sooner if it is torn or smells."),
            Self.passage(
                2, "Brushes", "Clean the main brush and replace it if the bristles are worn (every 6 to 12 months)."),
        ]
        let check = SupportCheck()
        let borrowed = check.check(
            "Replace the HEPA filter every 6 to 12 months, or sooner if it is torn or smells.", passages: intervals)
        #expect(!borrowed[0].supported)
        #expect(borrowed[0].unbackedFigures == ["12"])
        #expect(
            !check.check("Replace the HEPA filter every 6 to 12 months, or sooner if torn [1].", passages: intervals)[0]
                .supported)
        let right = check.check(
            "Replace the HEPA filter every 3 to 6 months, or sooner if torn [1].", passages: intervals)
        #expect(right[0].supported && right[0].unbackedFigures.isEmpty)
        // Citing both passages, a sentence may join their figures.
        #expect(
            check.check("Replace the filter every 3 to 6 months and the brush every 12 [1][2].", passages: intervals)[0]
                .supported)
    }

    @Test("figures from the question and list numbers need no passage")
    func figuresWithoutPassage() {
        let clearance = [
            Self.passage(1, "Size", "The robot is 96 mm high and needs 10 cm of clearance under furniture.")
        ]
        let check = SupportCheck()
        let question = "My couch is 9.5 cm off the floor, will the robot fit under it?"
        let answer = "The robot needs 10 cm of clearance, so a couch 9.5 cm off the floor is too low [1]."
        #expect(check.check(answer, passages: clearance, question: question)[0].supported)
        #expect(check.check(answer, passages: clearance)[0].unbackedFigures == ["5", "9"])
        let step = check.check("3. Rinse the filter under cold water [2].", passages: passages)
        #expect(step.last?.supported == true)
    }

    @Test("figures are runs of digits, without leading zeros")
    func figures() {
        #expect(Figures.digits(in: "5,200 mAh, error E06, 0 dB, 14.4 V") == ["5", "200", "6", "0", "14", "4"])
        #expect(ListMarker.dropping("12) Dry it") == "Dry it")
        #expect(ListMarker.dropping("2.5 litres") == "2.5 litres")
        #expect(ListMarker.dropping("- Dry it") == "Dry it" && ListMarker.dropping("-5 °C") == "-5 °C")
        #expect(ListMarker.isNumberAlone("3.") && ListMarker.isNumberAlone(" 12) ") && !ListMarker.isNumberAlone("3.5"))
    }

    @Test("number words are figures: in a claim before a unit, in a passage anywhere")
    func numberWords() {
        #expect(Figures.stated(in: "Replace it every three months and press it twice.") == ["3"])
        #expect(Figures.stated(in: "Wait twenty-four hours, then twenty four more hours.") == ["24"])
        #expect(Figures.stated(in: "One of the brushes has two bristle rows; ten tips.") == [])
        #expect(Figures.stated(in: "Charge it for 3 hours, then run it for forty minutes.") == ["3", "40"])
        #expect(Figures.available(in: "Every three or four months, or 6.") == ["3", "4", "6"])
        let intervals = [Self.passage(1, "Filter", "Replace the filter every 2 months. Rinse it every two weeks.")]
        let check = SupportCheck()
        let wrong = check.check("Replace the filter every three months [1].", passages: intervals)[0]
        #expect(!wrong.supported && wrong.unbackedFigures == ["3"])
        #expect(check.check("Replace the filter every two months [1].", passages: intervals)[0].supported)
        #expect(check.check("Rinse the filter every 2 weeks [1].", passages: intervals)[0].supported)
        // Written as a word, the figure is not a missing word either.
        let bin = [Self.passage(2, "Bin", "Empty the bin every 3 days.")]
        let words = check.check("Empty the bin every three days [2].", passages: bin)[0]
        #expect(words.supported && words.support == 1)
    }

    static func passage(_ number: Int, _ heading: String, _ text: String) -> Passage {
        Passage(
            number: number,
            result: SearchResult(
                chunkID: Int64(number), source: "manual.md", headingPath: heading, text: text, score: 0.03,
                denseScore: 0.6, keywordScore: nil))
    }
}
