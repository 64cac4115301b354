import Foundation
import RAG
import Testing

/// A document as a reader sees it, named for test output.
struct ReaderFixture: Sendable, CustomTestStringConvertible {
    var name: String
    var format: DocumentFormat
    var content: String

    var testDescription: String { name }
}

/// The documents every reader test draws from; the offsets invariant is checked on all of them.
enum ReaderFixtures {
    static let manual = ReaderFixture(
        name: "Markdown manual",
        format: .markdown,
        content: """
            ---
            title: ignored
            tags: [a, b]
            ---
            Intro before any heading.

            # User manual

            Welcome to the **X100** handbook.

            ## Charging

            Plug the cable in.

            ### First charge

            Charge for *8 hours* before first use.

            ```sh
            # not a heading
            make charge
            ```

            ## Safety
            Keep away from water.
            """
    )

    static let chinese = ReaderFixture(
        name: "Chinese Markdown",
        format: .markdown,
        content: """
            # 用户手册

            欢迎使用本产品。请仔细阅读本手册。

            ## 售后服务

            本产品保修期为一年。

            如有问题，请联系客服：**400-123-4567**。
            """
    )

    static let setext = ReaderFixture(
        name: "Markdown with setext headings and a table",
        format: .markdown,
        content: """
            Overview
            ========

            Some text.

            Details
            -------

            | Key | Value |
            |-----|:-----:|
            | a   | 1     |

            - one
            - two
            """
    )

    static let page = ReaderFixture(
        name: "HTML page",
        format: .html,
        content: """
            <!DOCTYPE html>
            <html><head><title>Guide &amp; FAQ</title>
            <style>body { color: red; }</style>
            <script>var x = "<h1>not this</h1>";</script>
            </head>
            <body>
            <!-- a comment -->
            <h1>Guide</h1>
            <p>First   paragraph,
            wrapped.</p>
            <h2>Setup</h2>
            <ul><li>Step one</li><li>Step two</li></ul>
            <table><tr><th>Key</th><th>Value</th></tr><tr><td>a</td><td>1</td></tr></table>
            <pre>
            line 1
              line 2
            </pre>
            <h2>售后服务</h2>
            <p>保修一年 &lt;3 &#x4E2D;&#25991;</p>
            </body></html>
            """
    )

    static let malformed = ReaderFixture(
        name: "malformed HTML",
        format: .html,
        content: "<h1>Open <b>heading<p>para <a href=\"x>y\">link</a> 1 < 2 <div <span>text</h3> &bogus; <!-- open"
    )

    static let plain = ReaderFixture(
        name: "plain text",
        format: .text,
        content: "First line\r\nsecond line   \r\n\r\n\r\n\r\nNext paragraph\rlast\n\n"
    )

    static let pdfText = ReaderFixture(
        name: "pdftotext output",
        format: .pdf,
        content: "Page one text\n\u{0C}Page two text\n\u{0C}"
    )

    static let all = [manual, chinese, setext, page, malformed, plain, pdfText]
}

/// Checks what every reader promises: each section's text is the slice of the whole text at its offset, and
/// sections come in order without overlapping.
func expectOffsetsHold(_ document: ReadDocument, sourceLocation: SourceLocation = #_sourceLocation) {
    let characters = Array(document.text)
    var previousEnd = 0
    for section in document.sections {
        let end = section.startOffset + section.text.count
        #expect(section.startOffset >= previousEnd && end <= characters.count, sourceLocation: sourceLocation)
        #expect(!section.text.isEmpty, sourceLocation: sourceLocation)
        guard section.startOffset >= previousEnd, end <= characters.count else { return }
        #expect(String(characters[section.startOffset..<end]) == section.text, sourceLocation: sourceLocation)
        previousEnd = end
    }
}

/// A fresh directory under the temporary directory, removed when the test is done with it.
final class TemporaryDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("rag-readers-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(at: url)
    }

    /// Writes `bytes` to `name` inside the directory and returns its URL.
    func write(_ name: String, _ bytes: [UInt8]) throws -> URL {
        let file = url.appendingPathComponent(name)
        try Data(bytes).write(to: file)
        return file
    }

    func write(_ name: String, _ text: String) throws -> URL {
        try write(name, Array(text.utf8))
    }
}
