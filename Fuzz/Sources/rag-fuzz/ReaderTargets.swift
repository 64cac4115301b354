import Foundation
import RAG

/// A document through `DocumentReader.read(fileAt:)`, as `rag ingest` reads it: decoding (UTF-8 with or
/// without a byte-order mark, UTF-16 with one), then the format's reader. Every section must be found
/// where its offset says in the document's text, since citations point there.
class DocumentTarget {
    let scratch: ScratchFolder
    let fileName: String

    init(label: String, fileName: String) throws {
        scratch = try ScratchFolder(label: label)
        self.fileName = fileName
    }

    func run(_ input: UnsafeRawBufferPointer) {
        let url = scratch.write(input, to: fileName)
        let document: ReadDocument
        do {
            document = try DocumentReader.read(fileAt: url)
        } catch {
            requireNamesFile(error, ReaderError.self, path: url.path)
            return
        }
        let characters = Array(document.text)
        for section in document.sections {
            let sectionCharacters = Array(section.text)
            guard section.startOffset >= 0, section.startOffset + sectionCharacters.count <= characters.count,
                characters[section.startOffset..<(section.startOffset + sectionCharacters.count)].elementsEqual(
                    sectionCharacters)
            else {
                fuzzFailure(
                    "section \(section.headingPath) is not at offset \(section.startOffset) of the text "
                        + "(\(characters.count) characters)")
            }
        }
    }
}

final class HTMLTarget: DocumentTarget, FuzzTarget {
    static let name = "html"
    static let summary = "an HTML page through DocumentReader (RAG)"

    required init() throws { try super.init(label: Self.name, fileName: "page.html") }

    static func seeds() throws -> [Seed] {
        [
            Seed(
                "manual.html",
                text: """
                    <!DOCTYPE html><html><head><meta charset="utf-8"><title>Aurora &amp; X2 manual</title>
                    <style>body { color: red; }</style><script>if (a < b) { x = "</p>"; }</script></head>
                    <body><h1>Set-up</h1><p>Charge it &mdash; fully&nbsp;first &#8220;4&nbsp;h&#x201D; &#128512;.</p>
                    <h2 id="x">Cleaning <small>the filter</small></h2><ul><li>Unplug</li><li>Rinse<br>dry</li></ul>
                    <table><tr><th>Code</th><th>Meaning</th></tr><tr><td>E1</td><td>Fan</td></tr></table>
                    <pre>
                    line 1
                      line 2</pre><!-- a comment --><p title='a > b'>AT&T ?a=1&b=2</p>
                    <svg><text>dropped</text></svg><template><p>dropped</p></template></body></html>
                    """),
            Seed("fragments.html", text: "<p>one<p>two<h3>three<div>four</h3>five</div><textarea>six</textarea>"),
            Seed(
                "utf16.html",
                [0xFF, 0xFE] + Array("<h1>UTF-16</h1><p>ok</p>".utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }),
        ]
    }
}

final class MarkdownTarget: DocumentTarget, FuzzTarget {
    static let name = "markdown"
    static let summary = "a Markdown file through DocumentReader (RAG)"

    required init() throws { try super.init(label: Self.name, fileName: "manual.md") }

    static func seeds() throws -> [Seed] {
        [
            Seed(
                "manual.md",
                text: """
                    ---
                    title: front matter
                    ---
                    # Aurora X2 *manual*

                    Set-up text with **bold**, _emphasis_, `code`, [a link](https://example.com "t") and
                    ![an image](x.png), <kbd>Ctrl</kbd>, <https://auto.link>, &copy; 2025 \\* not a list.

                    Setext heading
                    --------------

                    - item one
                      continued
                    - [ ] task
                    1. first
                    2) second

                    > quoted # not a heading
                    > > nested

                    | Code | Meaning |
                    |:-----|--------:|
                    | E1 \\| x | Fan |

                    ```swift
                    # not a heading
                    let x = 1
                    ```

                        indented code

                    <!-- a comment
                    over lines -->
                    [ref]: https://example.com
                    Text[^1] and [ref][] and ~~gone~~ and ~about.

                    ***
                    """),
            Seed("crlf.md", text: "# Title\r\n\r\nText\r\nmore\r\n## Sub\r\n~~~\r\ncode\r\n~~~\r\n"),
            Seed("bom.md", [0xEF, 0xBB, 0xBF] + Array("## 售后服务\n\n保修期为两年。".utf8)),
        ]
    }
}
