import RAG
import Testing

@Suite("Plain-text reader")
struct PlainTextReaderTests {
    @Test("plain text is one section with an empty breadcrumb, its paragraphs kept")
    func oneSection() {
        let document = DocumentReader.read("# not a heading\n\nSecond paragraph.\nSame paragraph.", format: .text)
        #expect(document.title == nil)
        #expect(
            document.sections == [
                DocumentSection(
                    headingPath: [],
                    text: "# not a heading\n\nSecond paragraph.\nSame paragraph.",
                    startOffset: 0
                )
            ]
        )
    }

    @Test("CRLF and CR become LF, trailing spaces go, and runs of blank lines collapse to one")
    func whitespace() {
        let document = DocumentReader.read(ReaderFixtures.plain.content, format: .text)
        #expect(document.text == "First line\nsecond line\n\nNext paragraph\nlast")
        #expect(document.sections.count == 1)
        expectOffsetsHold(document)
    }

    @Test("leading indentation is kept, blank text has no sections, and a byte-order mark goes")
    func edges() {
        #expect(DocumentReader.read("\n\n    indented\n", format: .text).text == "    indented")
        #expect(DocumentReader.read(" \n\t\n", format: .text) == ReadDocument(title: nil, text: "", sections: []))
        #expect(DocumentReader.read("\u{FEFF}text", format: .text).text == "text")
    }

    @Test("pdftotext's form feeds between pages become paragraph breaks")
    func pdfPages() {
        let document = DocumentReader.read(ReaderFixtures.pdfText.content, format: .pdf)
        #expect(document.text == "Page one text\n\nPage two text")
        #expect(document.sections.map(\.headingPath) == [[]])
        expectOffsetsHold(document)
    }

    @Test("the offsets invariant holds on every fixture", arguments: ReaderFixtures.all)
    func offsetsOnEveryFixture(_ fixture: ReaderFixture) {
        let document = DocumentReader.read(fixture.content, format: fixture.format)
        #expect(!document.sections.isEmpty)
        expectOffsetsHold(document)
    }
}
