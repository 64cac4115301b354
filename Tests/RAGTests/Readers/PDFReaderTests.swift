import Foundation
import Testing

@testable import RAG

/// These run the real `pdftotext` (poppler-utils, which `make setup` installs).
@Suite("PDF reader")
struct PDFReaderTests {
    @Test("a one-page PDF written by hand reads through pdftotext")
    func onePage() throws {
        let directory = try TemporaryDirectory()
        let file = try directory.write("hello.pdf", MinimalPDF.bytes(pages: ["Hello PDF world"]))
        let document = try DocumentReader.read(fileAt: file)
        #expect(document.text == "Hello PDF world")
        #expect(document.title == nil)
        #expect(document.sections == [DocumentSection(headingPath: [], text: "Hello PDF world", startOffset: 0)])
    }

    @Test("pages become paragraphs of one section")
    func twoPages() throws {
        let directory = try TemporaryDirectory()
        let file = try directory.write("two.PDF", MinimalPDF.bytes(pages: ["First page (one)", "Second page"]))
        let document = try DocumentReader.read(fileAt: file)
        #expect(document.text == "First page (one)\n\nSecond page")
        #expect(document.sections.count == 1)
        expectOffsetsHold(document)
    }

    @Test("a corrupt PDF fails with pdftotext's complaint")
    func corrupt() throws {
        let directory = try TemporaryDirectory()
        let file = try directory.write("broken.pdf", "%PDF-1.4\nthis is not a PDF body\n")
        #expect {
            try DocumentReader.read(fileAt: file)
        } throws: { error in
            guard case .pdfFailed(let path, let reason) = error as? ReaderError else { return false }
            return path == file.path && reason.contains("exit status")
        }
    }

    @Test("a pdftotext that hangs is stopped at the time limit")
    func timeLimit() throws {
        let directory = try TemporaryDirectory()
        let tool = try directory.write("slow-pdftotext", "#!/bin/sh\nsleep 30\n")
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: tool.path)
        let started = Date()
        #expect(throws: ReaderError.pdfFailed(path: "x.pdf", reason: "stopped after 0.3 s without finishing")) {
            try PDFReader.extractText(path: "x.pdf", tool: tool, timeLimit: 0.3)
        }
        #expect(Date().timeIntervalSince(started) < 10)
    }

    @Test("executables are looked up on PATH, then in the usual places")
    func locating() {
        #expect(PDFReader.locateExecutable(named: "sh", searchPath: "/nonexistent") != nil)
        #expect(PDFReader.locateExecutable(named: "rag-no-such-tool-\(UUID().uuidString)") == nil)
    }
}

/// Writes the smallest valid PDF that shows text: one Helvetica line per page, with a correct cross-reference
/// table (each entry is the byte offset of its object), so that poppler reads it without repairing it.
enum MinimalPDF {
    static func bytes(pages: [String]) -> [UInt8] {
        // 1 catalog, 2 page tree, 3 font, then a page and its content stream for each page.
        let pageNumbers = pages.indices.map { 4 + 2 * $0 }
        var objects = [
            "<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [\(pageNumbers.map { "\($0) 0 R" }.joined(separator: " "))] /Count \(pages.count) >>",
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        ]
        for (index, text) in pages.enumerated() {
            let escaped = text.replacing("\\", with: "\\\\").replacing("(", with: "\\(").replacing(")", with: "\\)")
            let stream = "BT /F1 18 Tf 36 100 Td (\(escaped)) Tj ET"
            objects.append(
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 400 200] /Resources << /Font << /F1 3 0 R >> >> "
                    + "/Contents \(pageNumbers[index] + 1) 0 R >>"
            )
            objects.append("<< /Length \(stream.utf8.count) >>\nstream\n\(stream)\nendstream")
        }
        var pdf = "%PDF-1.4\n"
        var offsets: [Int] = []
        for (index, body) in objects.enumerated() {
            offsets.append(pdf.utf8.count)
            pdf += "\(index + 1) 0 obj\n\(body)\nendobj\n"
        }
        let crossReference = pdf.utf8.count
        pdf += "xref\n0 \(objects.count + 1)\n0000000000 65535 f \n"
        for offset in offsets { pdf += String(format: "%010d 00000 n \n", offset) }
        pdf += "trailer\n<< /Size \(objects.count + 1) /Root 1 0 R >>\nstartxref\n\(crossReference)\n%%EOF\n"
        return Array(pdf.utf8)
    }
}
