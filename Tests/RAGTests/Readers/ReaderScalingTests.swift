import Foundation
import Testing

@testable import RAG

/// Inputs built to be slow: each pattern, repeated until the document is about 100 KB, is one a naive reader
/// handles in time quadratic in its length (a search that restarts from each opening mark, a check that rescans
/// what it has gathered). Read in linear time the whole suite takes seconds in a debug build; the quadratic
/// readers it was written against took 9 s (HTML) and 190 s (Markdown) on 25 KB of some of these, so at this
/// size a regression shows as a test that runs for many minutes. No timing is asserted.
/// `RAG_SCALING_BYTES` sets another size, to probe by hand.
@Suite("Readers on inputs built to be slow")
struct ReaderScalingTests {
    static let size = Int(ProcessInfo.processInfo.environment["RAG_SCALING_BYTES"] ?? "") ?? 100_000

    /// About `size` bytes of `pattern`.
    static func repeated(_ pattern: String, prefix: String = "", suffix: String = "") -> String {
        prefix + String(repeating: pattern, count: size / max(1, pattern.utf8.count)) + suffix
    }

    static let html: [(String, String)] = [
        ("an open heading then breaks", repeated("<p>", prefix: "<h1>")),
        ("an open heading then line breaks", repeated("<br>", prefix: "<h2>")),
        ("end tags without >", repeated("</a")),
        ("start tags without >", repeated("<a b")),
        ("unbalanced quotes", repeated("<a href=\"x ")),
        ("unclosed titles", repeated("<title>")),
        ("scripts closed by look-alikes", repeated("</scrip", prefix: "<script>")),
        ("comment openers", repeated("<!--x")),
        ("declarations without >", repeated("<!x")),
        ("nested divs", repeated("<div>") + repeated("</div>")),
        ("entities", repeated("&#x1F642;&amp;&")),
        ("table cells", repeated("<td>x", prefix: "<table><tr>")),
    ]

    static let markdown: [(String, String)] = [
        ("code spans of growing lengths", (1...600).map { String(repeating: "`", count: $0) + "x" }.joined()),
        ("a run of backticks", repeated("`")),
        ("setext underlines under a list", repeated("a\n", suffix: "- x\n" + repeated("===\n"))),
        ("quotes under a long paragraph", repeated("a\n", suffix: "> x\n" + repeated("---x\n"))),
        ("nested quotes", repeated("> ")),
        ("nested list markers", repeated("- ")),
        ("unclosed comment blocks", repeated("<!-- x\n")),
        ("inline comment openers", repeated("<!--")),
        ("brackets", repeated("[")),
        ("links", repeated("[a](")),
        ("emphasis", repeated("*_~")),
        ("angle brackets", repeated("<a")),
        ("escapes", repeated("\\")),
        ("table pipes", repeated("|")),
        ("headings", repeated("# h\n")),
        ("fences", repeated("```\nx\n")),
    ]

    @Test("HTML inputs built to be slow are read", arguments: html.map(\.0))
    func htmlInput(_ name: String) {
        let text = Self.html.first { $0.0 == name }!.1
        let document = HTMLReader.read(text)
        #expect(document.sections.allSatisfy { $0.startOffset <= document.text.count })
    }

    @Test("Markdown inputs built to be slow are read", arguments: markdown.map(\.0))
    func markdownInput(_ name: String) {
        let text = Self.markdown.first { $0.0 == name }!.1
        let document = MarkdownReader.read(text)
        #expect(document.sections.allSatisfy { $0.startOffset <= document.text.count })
    }
}
