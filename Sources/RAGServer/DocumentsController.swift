import Foundation
import Hummingbird
import RAG
import VectorIndex

/// `GET/POST/DELETE /v1/documents`: list, add or replace (JSON text or a multipart file upload,
/// ingested incrementally), and delete documents of the served collection.
///
/// An uploaded document is kept in the collection's `uploads/` folder under a name derived from
/// its source's hash, never from the name a client sent, so no name can reach outside that folder.
struct DocumentsController {
    let service: RAGService

    func addRoutes(to router: Router<ServiceRequestContext>) {
        router.get("/v1/documents") { _, _ in try list() }
        router.post("/v1/documents") { request, _ in try await add(request) }
        router.delete("/v1/documents") { request, _ in
            guard let source = request.uri.queryParameters["source"].map(String.init) else {
                throw APIError.invalid("name the document: DELETE /v1/documents?source=NAME", param: "source")
            }
            return try await delete(source: source)
        }
        router.delete("/v1/documents/:source") { _, context in
            try await delete(source: try context.parameters.require("source"))
        }
    }

    struct Listing: Encodable {
        var object = "list"
        var data: [DocumentInfo]
    }

    struct Added: Encodable {
        var object = "document"
        var source: String
        /// added, updated or unchanged.
        var status: String
        var chunks: Int
        var embedded: Int
    }

    struct Deleted: Encodable {
        var object = "document.deleted"
        var source: String
        var deleted = true
        var chunks: Int
    }

    func list() throws -> Response {
        let components = try service.require()
        return try JSONResponse.make(Listing(data: try components.collection.database.documents()))
    }

    func add(_ request: Request) async throws -> Response {
        let components = try service.require()
        let upload = try await DocumentUpload.read(request, limit: service.settings.uploadLimit)
        let admission = try await service.writeQueue.admit()
        defer { admission.release() }
        let folder = components.collection.directory.appendingPathComponent("uploads")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let file = folder.appendingPathComponent(upload.storedName)
        // Written beside and renamed: a crash leaves the old file or the new one, never half of one.
        try upload.content.write(to: file, options: .atomic)
        let ingestor = Ingestor(embedder: components.embedder, collection: components.collection)
        let source = SourceFile(url: file, source: upload.source)
        let summary = try await BlockingWork.run { try ingestor.ingest(files: [source]) }
        if let skipped = summary.skippedFiles.first {
            try? FileManager.default.removeItem(at: file)
            throw APIError.invalid("'\(upload.source)' cannot be ingested: \(skipped.reason)", param: "file")
        }
        let status = summary.added > 0 ? "added" : summary.updated > 0 ? "updated" : "unchanged"
        let chunks = try components.collection.database.documents().first { $0.source == upload.source }?.chunks ?? 0
        return try JSONResponse.make(
            Added(source: upload.source, status: status, chunks: chunks, embedded: summary.embedded),
            status: summary.added > 0 ? .created : .ok)
    }

    func delete(source: String) async throws -> Response {
        let components = try service.require()
        let admission = try await service.writeQueue.admit()
        defer { admission.release() }
        guard try components.collection.database.documentHashes()[source] != nil else {
            throw APIError.notFound("no document with source '\(source)'", param: "source", code: "document_not_found")
        }
        let collection = components.collection
        let removed = try await BlockingWork.run { () throws(VectorIndexError) in
            let removed = try collection.deleteDocument(source: source)
            try collection.saveIndex()
            return removed
        }
        let stored = components.collection.directory.appendingPathComponent("uploads")
            .appendingPathComponent(DocumentUpload.storedName(for: source))
        try? FileManager.default.removeItem(at: stored)
        return try JSONResponse.make(Deleted(source: source, chunks: removed.count))
    }
}
