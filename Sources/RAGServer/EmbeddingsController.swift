import Foundation
import Hummingbird

/// `POST /v1/embeddings`, OpenAI-compatible, with `truncate`: true (the default) embeds the start
/// of an over-long input, false refuses it with its token count.
struct EmbeddingsController {
    let service: RAGService

    func addRoutes(to router: Router<BasicRequestContext>) {
        router.post("/v1/embeddings") { request, _ in try await embed(request) }
    }

    struct Item: Encodable {
        var object = "embedding"
        var index: Int
        var embedding: [Float]
    }

    struct Usage: Encodable {
        var promptTokens: Int
        var totalTokens: Int
    }

    struct Result: Encodable {
        var object = "list"
        var data: [Item]
        var model: String
        var usage: Usage
    }

    func embed(_ request: Request) async throws -> Response {
        let components = try service.require()
        let body = try await JSONRequest.read(request, limit: service.settings.bodyLimit)
        guard body.has("input") else { throw APIError.invalid("'input' is required", param: "input") }
        let inputs = try body.strings("input") ?? []
        guard !inputs.isEmpty else { throw APIError.invalid("'input' is empty", param: "input") }
        guard inputs.count <= service.settings.maxEmbeddingInputs else {
            throw APIError.invalid(
                "'input' holds \(inputs.count) texts; at most \(service.settings.maxEmbeddingInputs) per request",
                param: "input")
        }
        if let model = try body.string("model"), model != components.embedder.name {
            throw APIError.notFound(
                "no embedding model named '\(model)'; this server embeds with '\(components.embedder.name)'",
                param: "model", code: "model_not_found")
        }
        if let format = try body.string("encoding_format"), format != "float" {
            throw APIError.invalid(
                "only encoding_format 'float' is supported, got '\(format)'", param: "encoding_format")
        }
        let truncate = try body.bool("truncate") ?? true
        let embedder = components.embedder
        if !truncate {
            for (index, text) in inputs.enumerated() {
                let count = embedder.fullTokenCount(text)
                if count > embedder.maxSequenceLength {
                    throw APIError.invalid(
                        "input[\(index)] takes \(count) tokens; the embedder reads at most \(embedder.maxSequenceLength). "
                            + "Shorten it or send truncate: true", param: "input", code: "input_too_long")
                }
            }
        }
        let admission = try await service.embeddingQueue.admit()
        defer { admission.release() }
        let embeddings = embedder.embed(inputs)
        let tokens = embeddings.reduce(0) { $0 + $1.tokenCount }
        return try JSONResponse.make(
            Result(
                data: embeddings.enumerated().map { Item(index: $0.offset, embedding: $0.element.vector) },
                model: embedder.name, usage: Usage(promptTokens: tokens, totalTokens: tokens)))
    }
}
