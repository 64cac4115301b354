import Foundation
import RAG
import Testing

@Suite("Document reader")
struct DocumentReaderTests {
    @Test("the format follows the extension, case-insensitively")
    func formats() {
        #expect(DocumentFormat(fileExtension: "txt") == .text)
        #expect(DocumentFormat(fileExtension: "TEXT") == .text)
        #expect(DocumentFormat(fileExtension: "md") == .markdown)
        #expect(DocumentFormat(fileExtension: "Markdown") == .markdown)
        #expect(DocumentFormat(fileExtension: "HTM") == .html)
        #expect(DocumentFormat(fileExtension: ".html") == .html)
        #expect(DocumentFormat(fileExtension: "pdf") == .pdf)
        #expect(DocumentFormat(fileExtension: "docx") == nil)
        #expect(DocumentFormat(fileExtension: "") == nil)
    }

    @Test("files are read by their extension")
    func readsFiles() throws {
        let directory = try TemporaryDirectory()
        let markdown = try DocumentReader.read(fileAt: directory.write("guide.MD", ReaderFixtures.chinese.content))
        #expect(markdown == DocumentReader.read(ReaderFixtures.chinese.content, format: .markdown))
        #expect(markdown.sections.last?.headingPath == ["用户手册", "售后服务"])
        let html = try DocumentReader.read(fileAt: directory.write("page.htm", ReaderFixtures.page.content))
        #expect(html.title == "Guide & FAQ")
        let text = try DocumentReader.read(fileAt: directory.write("notes.txt", "# plain\r\n"))
        #expect(text.sections == [DocumentSection(headingPath: [], text: "# plain", startOffset: 0)])
    }

    @Test("an unknown extension is an error that names the file")
    func unsupportedFormat() throws {
        let directory = try TemporaryDirectory()
        let file = try directory.write("report.docx", "text")
        #expect(throws: ReaderError.unsupportedFormat(path: file.path)) { try DocumentReader.read(fileAt: file) }
        #expect(ReaderError.unsupportedFormat(path: file.path).description.contains(file.path))
    }

    @Test("a NUL byte in the first 8 KB is binary content")
    func binaryContent() throws {
        let directory = try TemporaryDirectory()
        let file = try directory.write("image.txt", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00])
        #expect(throws: ReaderError.binaryContent(path: file.path)) { try DocumentReader.read(fileAt: file) }
        let late = try directory.write("late.md", Array(repeating: UInt8(ascii: "a"), count: 8_191) + [0])
        #expect(throws: ReaderError.binaryContent(path: late.path)) { try DocumentReader.read(fileAt: late) }
    }

    @Test("bytes that are not UTF-8 are an encoding error that names the file")
    func invalidEncoding() throws {
        let directory = try TemporaryDirectory()
        let latin1 = try directory.write("café.txt", Array("caf".utf8) + [0xE9])
        #expect(throws: ReaderError.invalidEncoding(path: latin1.path)) { try DocumentReader.read(fileAt: latin1) }
        let oddUTF16 = try directory.write("odd.txt", [0xFF, 0xFE, 0x41])
        #expect(throws: ReaderError.invalidEncoding(path: oddUTF16.path)) { try DocumentReader.read(fileAt: oddUTF16) }
        let loneSurrogate = try directory.write("lone.txt", [0xFF, 0xFE, 0x00, 0xD8])
        #expect(throws: ReaderError.invalidEncoding(path: loneSurrogate.path)) {
            try DocumentReader.read(fileAt: loneSurrogate)
        }
        #expect(ReaderError.invalidEncoding(path: latin1.path).description.hasPrefix(latin1.path))
    }

    @Test("UTF-8 with a byte-order mark and UTF-16 in both byte orders are read")
    func encodings() throws {
        let directory = try TemporaryDirectory()
        let text = "## 售后服务\n保修一年"
        let expected = DocumentReader.read(text, format: .markdown)
        let utf8 = try directory.write("bom.md", [0xEF, 0xBB, 0xBF] + Array(text.utf8))
        #expect(try DocumentReader.read(fileAt: utf8) == expected)
        let units = Array(text.utf16)
        let little = try directory.write("le.md", [0xFF, 0xFE] + units.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] })
        #expect(try DocumentReader.read(fileAt: little) == expected)
        let big = try directory.write("be.md", [0xFE, 0xFF] + units.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] })
        #expect(try DocumentReader.read(fileAt: big) == expected)
    }

    @Test("a missing file or a directory is unreadable, with the reason")
    func unreadable() throws {
        let directory = try TemporaryDirectory()
        let missing = directory.url.appendingPathComponent("missing.md")
        #expect(throws: ReaderError.unreadable(path: missing.path, reason: "no such file")) {
            try DocumentReader.read(fileAt: missing)
        }
        let folder = directory.url.appendingPathComponent("folder.md")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: false)
        #expect(throws: ReaderError.unreadable(path: folder.path, reason: "is a directory")) {
            try DocumentReader.read(fileAt: folder)
        }
    }

    @Test("every error message names the file, and the PDF ones say what to do")
    func descriptions() {
        let errors: [ReaderError] = [
            .unsupportedFormat(path: "/d/a.doc"), .binaryContent(path: "/d/a.doc"), .invalidEncoding(path: "/d/a.doc"),
            .unreadable(path: "/d/a.doc", reason: "r"), .pdfToolMissing(path: "/d/a.doc"),
            .pdfFailed(path: "/d/a.doc", reason: "exit status 1"),
        ]
        for error in errors { #expect(error.description.hasPrefix("/d/a.doc: ")) }
        #expect(ReaderError.pdfToolMissing(path: "x").description.contains("make setup"))
        #expect(ReaderError.pdfToolMissing(path: "x").description.contains("poppler-utils"))
        #expect(ReaderError.unsupportedFormat(path: "x").description.contains(".md"))
    }
}
