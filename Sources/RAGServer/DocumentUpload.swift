import Foundation
import Hummingbird
import RAG
import StrictJSON

/// A document sent to `POST /v1/documents`: JSON `{"source", "text", "format"?}` or a
/// multipart/form-data upload with a `file` part (and optionally a `source` field).
struct DocumentUpload {
    /// The name the document is known by (and cited as).
    var source: String
    var content: Data

    /// The file name in `uploads/`: a hash of the source with the source's extension, so that
    /// the reader is chosen by extension and no client-sent name becomes a path.
    var storedName: String { Self.storedName(for: source) }

    static func storedName(for source: String) -> String {
        let fileExtension = (source as NSString).pathExtension.lowercased()
        let hash = SHA256.hex(Array(source.utf8)).prefix(32)
        return fileExtension.isEmpty ? String(hash) : "\(hash).\(fileExtension)"
    }

    static func read(_ request: Request, limit: Int) async throws -> DocumentUpload {
        let contentType = request.headers[.contentType] ?? ""
        if contentType.lowercased().hasPrefix("multipart/form-data") {
            let buffer = try await RequestBodyReader.collect(request, limit: limit)
            let parts = try MultipartForm.parse(Data(buffer.readableBytesView), contentType: contentType)
            guard let file = parts.first(where: { $0.name == "file" }) else {
                throw APIError.invalid("the upload has no part named 'file'", param: "file")
            }
            let named = parts.first { $0.name == "source" }.flatMap { String(data: $0.body, encoding: .utf8) }
            guard let source = named ?? file.filename else {
                throw APIError.invalid(
                    "name the document: a filename on the 'file' part or a 'source' field", param: "source")
            }
            return DocumentUpload(source: try validSource(source), content: file.body)
        }
        let body = try await JSONRequest.read(request, limit: limit)
        var source = try validSource(try body.requiredString("source"))
        let text = try body.requiredString("text")
        if let format = try body.string("format") {
            guard DocumentFormat(fileExtension: format) != nil else {
                throw APIError.invalid("'format' must be txt, md, html or pdf, got '\(format)'", param: "format")
            }
            if (source as NSString).pathExtension.lowercased() != format.lowercased() { source += ".\(format)" }
        } else if DocumentFormat(fileExtension: (source as NSString).pathExtension) == nil {
            source += ".txt"
        }
        return DocumentUpload(source: source, content: Data(text.utf8))
    }

    /// A source name: printable, at most 256 characters, relative without `..`, with a known
    /// extension or none.
    static func validSource(_ source: String) throws -> String {
        let trimmed = source.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, trimmed.count <= 256,
            !trimmed.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
        else {
            throw APIError.invalid("'source' must be 1 to 256 printable characters", param: "source")
        }
        // A source is a name, not a path: it must not look like one that climbs out or starts at the root.
        let components = trimmed.split(separator: "/", omittingEmptySubsequences: false)
        guard !trimmed.hasPrefix("/"), !trimmed.contains("\\"),
            !components.contains(where: { $0 == ".." || $0.isEmpty })
        else {
            throw APIError.invalid(
                "'source' must be a relative name like 'manuals/setup.md', without '..', '\\' or a leading '/'",
                param: "source")
        }
        let fileExtension = (trimmed as NSString).pathExtension
        if !fileExtension.isEmpty, DocumentFormat(fileExtension: fileExtension) == nil {
            throw APIError.invalid(
                "'\(trimmed)': unsupported file type '.\(fileExtension)' (txt, md, html or pdf)", param: "source",
                code: "unsupported_format")
        }
        return trimmed
    }
}
