import RAG
import Testing

@Suite("Markdown reader")
struct MarkdownReaderTests {
    private func read(_ markdown: String) -> ReadDocument {
        DocumentReader.read(markdown, format: .markdown)
    }

    @Test("headings nest into breadcrumbs by level, and a new heading drops the deeper ones")
    func breadcrumbs() {
        let document = read(
            """
            # Manual
            a
            ## Charging
            b
            ### First charge
            c
            ## Safety
            d
            #### Deep under Safety
            e
            # Appendix
            f
            """
        )
        #expect(
            document.sections.map(\.headingPath) == [
                ["Manual"], ["Manual", "Charging"], ["Manual", "Charging", "First charge"], ["Manual", "Safety"],
                ["Manual", "Safety", "Deep under Safety"], ["Appendix"],
            ]
        )
        #expect(document.sections.map(\.text) == ["a", "b", "c", "d", "e", "f"])
        expectOffsetsHold(document)
    }

    @Test("the whole text holds headings and paragraphs, one blank line between them")
    func wholeText() {
        let document = read("# Title\n\nFirst para\nsame para\n\n\n\nSecond para   \n## Sub\nBody")
        #expect(document.text == "Title\n\nFirst para\nsame para\n\nSecond para\n\nSub\n\nBody")
        #expect(document.sections[0].text == "First para\nsame para\n\nSecond para")
        #expect(document.sections[0].startOffset == 7)
        expectOffsetsHold(document)
    }

    @Test("text before the first heading has an empty breadcrumb, and front matter is dropped")
    func frontMatterAndPreamble() {
        let document = DocumentReader.read(ReaderFixtures.manual.content, format: .markdown)
        #expect(!document.text.contains("ignored"))
        #expect(!document.text.contains("tags"))
        #expect(
            document.sections.first
                == DocumentSection(headingPath: [], text: "Intro before any heading.", startOffset: 0))
        #expect(document.title == "User manual")
        expectOffsetsHold(document)
    }

    @Test("a thematic break later in the document is not front matter")
    func thematicBreakIsNotFrontMatter() {
        let document = read("Text\n\n---\n\nMore\n\n***\n")
        #expect(document.text == "Text\n\nMore")
        let unclosed = read("---\ntitle: x\n\nBody")
        #expect(unclosed.text.contains("title: x"))
    }

    @Test("a # inside a fenced code block is code, not a heading, and the code is kept")
    func codeFences() {
        let document = read(
            """
            # Install
            ```bash
            # update first
            apt-get update
            ```
            ~~~
            ## still code
            ```
            ~~~
            After
            """
        )
        #expect(document.sections.map(\.headingPath) == [["Install"]])
        #expect(document.sections[0].text == "# update first\napt-get update\n\n## still code\n```\n\nAfter")
        expectOffsetsHold(document)
    }

    @Test("an unclosed fence runs to the end of the document")
    func unclosedFence() {
        let document = read("# A\n```\n# not a heading\n**kept as written**")
        #expect(document.sections.map(\.headingPath) == [["A"]])
        #expect(document.sections[0].text == "# not a heading\n**kept as written**")
    }

    @Test("indented code keeps its syntax, and an indented # is not a heading")
    func indentedCode() {
        let document = read("# A\n\n    # comment\n    x = *y*\n\nText")
        #expect(document.sections[0].text == "# comment\nx = *y*\n\nText")
    }

    @Test("setext underlines make headings of level one and two")
    func setextHeadings() {
        let document = DocumentReader.read(ReaderFixtures.setext.content, format: .markdown)
        #expect(document.title == "Overview")
        #expect(document.sections.map(\.headingPath) == [["Overview"], ["Overview", "Details"]])
        #expect(document.sections[0].text == "Some text.")
        expectOffsetsHold(document)
    }

    @Test("--- under a list is a thematic break, not a heading")
    func dashesUnderAList() {
        let document = read("- one\n- two\n---\nafter")
        #expect(document.sections.map(\.headingPath) == [[]])
        #expect(document.text == "- one\n- two\n\nafter")
    }

    @Test("ATX headings lose their closing hashes, and #hashtag is text")
    func atxDetails() {
        let document = read("## Charging ##\nbody\n#hashtag\n###### Six #\nx\n####### seven")
        #expect(document.sections.map(\.headingPath) == [["Charging"], ["Charging", "Six"]])
        #expect(document.sections[0].text == "body\n#hashtag")
        #expect(document.sections[1].text == "x\n####### seven")
        #expect(document.title == nil)
    }

    @Test("a heading with no body of its own is in the text and the breadcrumb but is not a section")
    func emptySections() {
        let document = read("# A\n## B\ntext\n## C\n")
        #expect(document.text == "A\n\nB\n\ntext\n\nC")
        #expect(document.sections == [DocumentSection(headingPath: ["A", "B"], text: "text", startOffset: 6)])
    }

    @Test("table rows and list items stay one per line, and the delimiter row goes")
    func tablesAndLists() {
        let document = DocumentReader.read(ReaderFixtures.setext.content, format: .markdown)
        #expect(document.sections[1].text == "Key | Value\na | 1\n\n- one\n- two")
    }

    @Test("Chinese headings and paragraphs are kept intact")
    func chineseContent() {
        let document = DocumentReader.read(ReaderFixtures.chinese.content, format: .markdown)
        #expect(document.title == "用户手册")
        #expect(document.sections.map(\.headingPath) == [["用户手册"], ["用户手册", "售后服务"]])
        #expect(document.sections[1].text == "本产品保修期为一年。\n\n如有问题，请联系客服：400-123-4567。")
        expectOffsetsHold(document)
    }

    @Test("block quotes lose their markers, and a heading in a quote is only text")
    func blockQuotes() {
        #expect(read("> **Note:** unplug first.\n> > nested").text == "Note: unplug first.\nnested")
        let quoted = read("# A\n> ## Quoted\n> text")
        #expect(quoted.sections == [DocumentSection(headingPath: ["A"], text: "Quoted\ntext", startOffset: 3)])
    }

    @Test("comment blocks over several lines are dropped, and an unclosed one is kept as text")
    func commentBlocks() {
        #expect(read("before\n\n<!-- TODO:\n# not a heading\n-->\nafter").text == "before\n\nafter")
        #expect(read("<!-- open\ntext").text == "<!-- open\ntext")
    }
}
