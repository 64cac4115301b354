import Foundation
import Hummingbird
import LanguageModel
import RAG

/// `POST /v1/search`: retrieval only, the ranked chunks with their scores and locations.
struct SearchController {
    let service: RAGService

    func addRoutes(to router: Router<ServiceRequestContext>) {
        router.post("/v1/search") { request, _ in try await search(request) }
    }

    struct Hit: Encodable {
        var rank: Int
        var chunkId: Int64
        var documentId: Int64?
        var source: String
        var heading: String
        var text: String
        var startOffset: Int?
        var endOffset: Int?
        var score: Double
        var denseScore: Double?
        var keywordScore: Double?
    }

    struct Results: Encodable {
        var object = "list"
        var query: String
        var mode: String
        var results: [Hit]
        var tookMs: Double
    }

    func search(_ request: Request) async throws -> Response {
        let components = try service.require()
        let body = try await JSONRequest.read(request, limit: service.settings.bodyLimit)
        let query = try body.requiredString("query")
        guard !query.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw APIError.invalid("'query' is empty", param: "query")
        }
        let k = try body.int("k", in: 1...100) ?? 5
        let modeName = try body.string("mode") ?? "hybrid"
        guard let mode = SearchMode(rawValue: modeName) else {
            throw APIError.invalid("'mode' must be hybrid, dense or keyword, got '\(modeName)'", param: "mode")
        }
        let sourcePrefix = try body.string("source_prefix")
        let admission = try await service.embeddingQueue.admit()
        defer { admission.release() }
        let started = ContinuousClock.now
        let retriever = components.retriever
        let retrieval = try await BlockingWork.run {
            try retriever.retrieve(query, k: k, mode: mode, sourcePrefix: sourcePrefix)
        }
        let took = ContinuousClock.now - started
        let hits = retrieval.results.enumerated().map { rank, result in
            Hit(
                rank: rank + 1, chunkId: result.chunkID, documentId: result.location?.documentID, source: result.source,
                heading: result.headingPath, text: result.text, startOffset: result.location?.startOffset,
                endOffset: result.location?.endOffset, score: result.score, denseScore: result.denseScore,
                keywordScore: result.keywordScore)
        }
        return try JSONResponse.make(
            Results(
                query: query, mode: mode.rawValue, results: hits,
                tookMs: took.seconds * 1000))
    }
}
