import RAG
import Testing

@Suite("Markdown reader: inline syntax")
struct MarkdownReaderInlineTests {
    private func plain(_ markdown: String) -> String {
        DocumentReader.read(markdown, format: .markdown).text
    }

    @Test("links become their text and images their alt text")
    func linksAndImages() {
        #expect(plain("See [the guide](https://x.org/a_(b)) now.") == "See the guide now.")
        #expect(plain("![Front panel](img/panel.png) shown") == "Front panel shown")
        #expect(plain("[ref link][1] and [collapsed][]") == "ref link and collapsed")
        #expect(plain("[**bold** link](u)") == "bold link")
        #expect(plain("[![badge](b.svg)](https://ci)") == "badge")
    }

    @Test("link definitions carry no text, footnotes do")
    func definitions() {
        #expect(plain("Text [a][1].\n\n[1]: https://example.com \"Title\"") == "Text a.")
        #expect(plain("[^1]: A footnote.") == "[^1]: A footnote.")
    }

    @Test("emphasis markers and backticks are removed")
    func emphasis() {
        #expect(plain("**bold** __strong__ *it* _em_ ~~gone~~ `code`") == "bold strong it em gone code")
        #expect(plain("***both*** and **nested *inner***") == "both and nested inner")
    }

    @Test("code spans are kept verbatim")
    func codeSpans() {
        #expect(plain("Run `make **all**` or ``a ` b``.") == "Run make **all** or a ` b.")
        #expect(plain("an ` unmatched tick") == "an ` unmatched tick")
    }

    @Test("characters that are not markup stay: snake_case, 2*3, a * b, task boxes, [1], ~5")
    func nonMarkup() {
        #expect(plain("set max_retry_count to 2*3 or a * b") == "set max_retry_count to 2*3 or a * b")
        #expect(plain("- [x] done\n- [ ] todo [1] ~5 min") == "- [x] done\n- [ ] todo [1] ~5 min")
    }

    @Test("escapes and entities are resolved, and a lone & stays")
    func escapesAndEntities() {
        #expect(plain("\\*not emphasis\\* \\[x\\]") == "*not emphasis* [x]")
        #expect(plain("AT&T &amp; Co &copy; &#20013; &unknown;") == "AT&T & Co © 中 &unknown;")
    }

    @Test("inline HTML tags and comments go, autolinks keep their address")
    func inlineHTML() {
        #expect(plain("Press <kbd>Ctrl</kbd>+<kbd>C</kbd><br/> <!-- hidden --> now") == "Press Ctrl+C  now")
        #expect(plain("Mail <help@x.org> or <https://x.org/a>") == "Mail help@x.org or https://x.org/a")
        #expect(plain("if a < b and c > d") == "if a < b and c > d")
    }

    @Test("headings and table cells are stripped too")
    func headingsAndCells() {
        let document = DocumentReader.read("# The **X100** [manual](u)\n| `a` | *b* |\n|---|---|", format: .markdown)
        #expect(document.title == "The X100 manual")
        #expect(document.sections.first?.text == "a | b")
    }

    @Test("lines of unmatched brackets and deep nesting are read in time")
    func pathologicalLines() {
        let brackets = String(repeating: "[", count: 5_000) + String(repeating: "](x)", count: 5_000)
        let document = DocumentReader.read(brackets, format: .markdown)
        #expect(!document.text.isEmpty)
        let angles = String(repeating: "<a ", count: 5_000)
        #expect(DocumentReader.read(angles, format: .markdown).text.count == angles.count - 1)
    }
}
