import Foundation
import RAG
import TestSupport
import Testing

/// Every HTML and Markdown file of the regression corpus (`Tests/Fixtures/malformed/html|markdown/`): deep
/// nesting, unterminated tags and comments, huge character references, 10,000 nested lists and quotes, broken
/// encodings. Each must read into a document whose sections lie where their offsets say, or be refused with a
/// `ReaderError` naming the file.
@Suite("Hostile documents of the regression corpus")
struct MalformedDocumentTests {
    @Test("the corpus folders are there and not empty")
    func foldersExist() {
        #expect(MalformedCorpus.names("html").count >= 20)
        #expect(MalformedCorpus.names("markdown").count >= 20)
    }

    @Test("a hostile HTML page reads or throws naming the file", arguments: MalformedCorpus.names("html"))
    func html(_ name: String) {
        check(MalformedCorpus.url("html", name))
    }

    @Test("a hostile Markdown file reads or throws naming the file", arguments: MalformedCorpus.names("markdown"))
    func markdown(_ name: String) {
        check(MalformedCorpus.url("markdown", name))
    }

    func check(_ url: URL) {
        let document: ReadDocument
        do {
            document = try DocumentReader.read(fileAt: url)
        } catch {
            #expect(error.description.contains(url.path), "\(error)")
            return
        }
        let text = Array(document.text)
        for section in document.sections {
            let body = Array(section.text)
            let end = section.startOffset + body.count
            #expect(section.startOffset >= 0 && end <= text.count)
            if section.startOffset >= 0, end <= text.count {
                #expect(text[section.startOffset..<end].elementsEqual(body), "\(section.headingPath)")
            }
        }
    }
}
