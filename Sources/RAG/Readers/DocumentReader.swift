import Foundation

/// Reads a file (text, Markdown, HTML or PDF) into plain text plus its sections, for chunking by headings.
///
/// The format comes from the extension (``DocumentFormat/init(fileExtension:)``); text files must be UTF-8
/// (with or without a byte-order mark) or UTF-16 with one. Every failure is a ``ReaderError`` naming the file,
/// so an ingest run can report it and go on.
public enum DocumentReader {
    /// Reads the file at `url` according to its extension.
    public static func read(fileAt url: URL) throws(ReaderError) -> ReadDocument {
        let path = url.path
        guard let format = DocumentFormat(fileExtension: url.pathExtension) else {
            throw .unsupportedFormat(path: path)
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw .unreadable(path: path, reason: "no such file")
        }
        guard !isDirectory.boolValue else { throw .unreadable(path: path, reason: "is a directory") }

        if format == .pdf {
            return PlainTextReader.readPDFText(try PDFReader.extractText(path: path))
        }
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw .unreadable(path: path, reason: error.localizedDescription)
        }
        return read(try decodeText(data, path: path), format: format)
    }

    /// Reads text that is already in memory.
    ///
    /// For `.pdf`, `content` is taken to be `pdftotext`'s output (pages ended by form feeds).
    public static func read(_ content: String, format: DocumentFormat) -> ReadDocument {
        let content = content.hasPrefix("\u{FEFF}") ? String(content.dropFirst()) : content
        switch format {
        case .text: return PlainTextReader.read(content)
        case .markdown: return MarkdownReader.read(content)
        case .html: return HTMLReader.read(content)
        case .pdf: return PlainTextReader.readPDFText(content)
        }
    }
}
