import Foundation
import Hummingbird
import RAG

/// `POST /v1/embeddings`, OpenAI-compatible, with `truncate`: true (the default) embeds the start
/// of an over-long input, false refuses it with its token count.
struct EmbeddingsController {
    let service: RAGService

    func addRoutes(to router: Router<ServiceRequestContext>) {
        router.post("/v1/embeddings") { request, _ in try await embed(request) }
    }

    struct Item: Encodable {
        var object = "embedding"
        var index: Int
        var embedding: Vector
    }

    /// A vector as numbers, or as base64 of its little-endian float32 bytes (what OpenAI's
    /// clients ask for by default, a quarter of the size).
    enum Vector: Encodable {
        case float([Float])
        case base64(String)

        init(_ vector: [Float], base64: Bool) {
            guard base64 else {
                self = .float(vector)
                return
            }
            var bytes = Data(capacity: vector.count * 4)
            for value in vector { withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) } }
            self = .base64(bytes.base64EncodedString())
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case .float(let values): try container.encode(values)
            case .base64(let text): try container.encode(text)
            }
        }
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
        let format = try body.string("encoding_format") ?? "float"
        guard format == "float" || format == "base64" else {
            throw APIError.invalid(
                "'encoding_format' must be float or base64, got '\(format)'", param: "encoding_format")
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
        let embeddings = await BlockingWork.run { embedder.embed(inputs) }
        let tokens = embeddings.reduce(0) { $0 + $1.tokenCount }
        return try JSONResponse.make(
            Result(
                data: embeddings.enumerated().map {
                    Item(index: $0.offset, embedding: Vector($0.element.vector, base64: format == "base64"))
                },
                model: embedder.name, usage: Usage(promptTokens: tokens, totalTokens: tokens)))
    }
}
