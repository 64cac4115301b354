import Foundation
import Hummingbird

/// `GET /healthz` (503 until the models are loaded; never needs the key) and `GET /metrics`.
struct HealthController {
    let service: RAGService

    func addRoutes(to router: Router<ServiceRequestContext>) {
        router.get("/healthz") { _, _ in try health() }
        router.get("/metrics") { _, _ in metrics() }
    }

    struct Health: Encodable {
        var status: String
        var model: String?
        var embedder: String?
        var collection: String?
        var documents: Int?
        var chunks: Int?
        var adapters: [String]
        var error: String?
    }

    func health() throws -> Response {
        guard let components = service.components else {
            let failure = service.loadFailure
            return try JSONResponse.make(
                Health(status: failure == nil ? "loading" : "failed", adapters: [], error: failure),
                status: .serviceUnavailable)
        }
        return try JSONResponse.make(
            Health(
                status: "ok", model: components.model.name, embedder: components.embedder.name,
                collection: components.collection.directory.lastPathComponent,
                documents: try? components.collection.database.documents().count,
                chunks: try? components.collection.database.chunkCount(),
                adapters: service.adapters.adapters.keys.sorted()))
    }

    func metrics() -> Response {
        let text = service.metrics.render(gauges: [
            (
                "rag_queue_depth", "Answers waiting for the model.",
                Double(service.generationQueue.waitingCount)
            ),
            ("rag_generations_running", "Answers being generated.", Double(service.generationQueue.runningCount)),
            (
                "rag_embedding_queue_depth", "Requests waiting for the embedder.",
                Double(service.embeddingQueue.waitingCount)
            ),
            ("rag_adapters_loaded", "LoRA adapters loaded.", Double(service.adapters.adapters.count)),
            ("rag_ready", "1 once the models are loaded.", service.components == nil ? 0 : 1),
        ])
        return Response(
            status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
