import RAG
import Testing

@Suite("HTML reader")
struct HTMLReaderTests {
    private func read(_ html: String) -> ReadDocument {
        DocumentReader.read(html, format: .html)
    }

    @Test("a page reads as its title, headings and blocks, without head, scripts, styles or comments")
    func page() {
        let document = read(ReaderFixtures.page.content)
        #expect(document.title == "Guide & FAQ")
        #expect(
            document.text == """
                Guide

                First paragraph, wrapped.

                Setup

                Step one
                Step two

                Key | Value
                a | 1

                line 1
                  line 2

                售后服务

                保修一年 <3 中文
                """
        )
        #expect(
            document.sections.map(\.headingPath) == [["Guide"], ["Guide", "Setup"], ["Guide", "售后服务"]]
        )
        expectOffsetsHold(document)
    }

    @Test("script, style, noscript, template, svg and comments are dropped wherever they are")
    func droppedElements() {
        let document = read(
            """
            <p>a<script type="x">if (a < b) { document.write("</p>") }</script>b</p>
            <STYLE>p { content: "x" }</STYLE><noscript>Enable JS</noscript>
            <template><p>tpl</p></template><svg><title>icon</title><svg><text>in</text></svg></svg>
            <!-- <p>commented</p> -->c
            """
        )
        #expect(document.text == "ab\n\nc")
        #expect(document.title == nil)
    }

    @Test("the title falls back to the first h1, and head content is never text")
    func titleFallback() {
        #expect(read("<html><head><meta charset=utf-8></head><h2>Two</h2><h1>One</h1>x").title == "One")
        #expect(read("<p>no headings</p>").title == nil)
        let implicitBody = read("<head><title>T</title><meta x=1>hidden?<p>shown</p>")
        #expect(implicitBody.title == "T")
        #expect(implicitBody.text == "shown")
    }

    @Test("h1 to h6 set the breadcrumb like Markdown headings")
    func headingBreadcrumbs() {
        let document = read(
            "<h1>A</h1><p>a</p><h2>B <em>b</em></h2><p>b</p><h3>C</h3><p>c</p><h2>D</h2><p>d</p><h4>E</h4>e"
        )
        #expect(
            document.sections.map(\.headingPath) == [
                ["A"], ["A", "B b"], ["A", "B b", "C"], ["A", "D"], ["A", "D", "E"],
            ]
        )
        #expect(document.sections.map(\.text) == ["a", "b", "c", "d", "e"])
        expectOffsetsHold(document)
    }

    @Test("an unclosed heading ends at the next block, and a block wrapping a heading's text stays in it")
    func headingEdges() {
        let unclosed = read("<h2>Setup<p>Plug it in.</p>")
        #expect(unclosed.sections == [DocumentSection(headingPath: ["Setup"], text: "Plug it in.", startOffset: 7)])
        let wrapped = read("<h1><div class=x>Guide</div></h1><p>text</p>")
        #expect(wrapped.title == "Guide")
        #expect(wrapped.sections.map(\.headingPath) == [["Guide"]])
    }

    @Test("entities are decoded: named, decimal, hexadecimal, and invalid code points as U+FFFD")
    func entities() {
        let document = read(
            "<p>&amp; &lt;b&gt; &quot;q&quot; &#39;s&#39; a&nbsp;b &#x4E2D;&#25991; &#0; &#xD800; &#65</p>")
        #expect(document.text == "& <b> \"q\" 's' a b 中文 \u{FFFD} \u{FFFD} A")
        #expect(read("<p>AT&T ?a=1&b=2 &unknown; &amp</p>").text == "AT&T ?a=1&b=2 &unknown; &amp")
    }

    @Test("inline elements do not break lines, and whitespace collapses except in pre")
    func inlineAndWhitespace() {
        #expect(read("<p>one <b>two</b><i> three</i>\n\t four</p>").text == "one two three four")
        #expect(read("<div>a<br>b<br/><br>c</div>").text == "a\nb\nc")
        #expect(read("<pre>\n  x = 1\n\n\n  y\n</pre>").text == "  x = 1\n\n  y")
        #expect(read("<p>全角\u{3000}空格</p>").text == "全角\u{3000}空格")
    }

    @Test("a > inside a quoted attribute does not end the tag")
    func quotedAttributes() {
        #expect(read("<a title=\"a > b\" href='x>y'>link</a> after").text == "link after")
        #expect(read("<img alt=\"it's\" src=x>ok").text == "ok")
    }

    @Test("malformed HTML is read without trapping: stray <, unclosed tags, comments and quotes")
    func malformed() {
        let document = DocumentReader.read(ReaderFixtures.malformed.content, format: .html)
        #expect(document.title == "Open heading")
        #expect(document.text.contains("para link 1 < 2"))
        expectOffsetsHold(document)

        #expect(read("a < b > c").text == "a < b > c")
        #expect(read("x <!-- never closed <p>y</p>").text == "x")
        #expect(read("x <script>never closed").text == "x")
        #expect(read("<title>never closed<p>body</p>").text == "never closed\n\nbody")
        #expect(read("<p title=\"unclosed>text</p>more").text == "text\n\nmore")
        #expect(read("<p>text <b").text == "text")
        #expect(read("</p></div></h2>plain<").text == "plain<")
        #expect(read("<!doctype html><?xml x?><!x").text == "")
    }

    @Test("random fragments of markup never trap and keep the offsets right")
    func fragments() {
        let pieces = [
            "<", ">", "</", "<h1>", "</h1>", "<h2 class='a>b'>", "</h3>", "<p>", "</p>", "<br>", "<li>", "<td>",
            "<pre>", "</pre>", "<script>", "</script>", "<!--", "-->", "<title>", "</title>", "<svg>", "</svg>",
            "<head>", "</head>", "&", "&amp;", "&#x", "&#1234567890;", "\"", "'", "=", " ", "\n", "text", "售后",
            "<a href=\"", "<!", "<?", "\r\n", "<div", "é", "\u{301}",
        ]
        var generator = SplitMix64(seed: 2_024)
        for _ in 0..<400 {
            var html = ""
            for _ in 0..<Int(generator.next() % 40) {
                html += pieces[Int(generator.next() % UInt64(pieces.count))]
            }
            let document = read(html)
            expectOffsetsHold(document)
        }
    }

    @Test("long runs of unbalanced quotes, unclosed titles and comments are read in time")
    func pathologicalInput() {
        let quotes = String(repeating: "<a x=\"1\" y='>", count: 5_000) + "tail"
        #expect(read(quotes).text.hasSuffix("tail"))
        let titles = String(repeating: "<title>x", count: 5_000)
        #expect(read(titles).text.hasPrefix("x"))
        let declarations = String(repeating: "<!x> <?y> </z> a", count: 5_000)
        let words = read(declarations).text.split(separator: " ")
        #expect(words.count == 5_000 && words.allSatisfy { $0 == "a" })
    }
}

/// A small deterministic generator, so that a failing fragment can be replayed.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
