import Embedder
import Foundation
import Hummingbird
import HummingbirdTesting
import LanguageModel
import RAG
import RAGServer
import TestSupport
import VectorIndex

/// The real models and a small real collection, loaded once for every server test; each test
/// gets its own `RAGService` (its own queues, adapters and settings) over them.
actor ServerFixture {
    static let shared = ServerFixture()

    struct Models: Sendable {
        let embedder: SentenceEmbedder
        let model: LanguageModel
        let collection: DocumentCollection
    }

    private var models: Models?

    static let manuals: [String: String] = [
        "vacuum.md": """
        # Aurora X2 robot vacuum

        ## Battery
        The battery lasts 90 minutes on the standard suction setting. A full charge takes 4 hours on the dock.

        ## Filter
        Rinse the filter under cold water every two weeks and let it dry for 24 hours before putting it back.
        """,
        "warranty.md": """
        # Warranty

        ## Coverage
        The Aurora X2 is covered for two years against manufacturing defects. Water damage is not covered.
        """,
    ]

    func load() throws -> Models {
        if let models { return models }
        let embedder = try SentenceEmbedder(folder: try TestResources.requireMiniLM())
        let model = try LanguageModel(url: try TestResources.requireSmolLM())
        let collection = try Self.collection(embedder: embedder, documents: Self.manuals)
        let loaded = Models(embedder: embedder, model: model, collection: collection)
        models = loaded
        return loaded
    }

    /// A collection in a new temporary folder holding `documents` (name → Markdown).
    static func collection(embedder: SentenceEmbedder, documents: [String: String]) throws -> DocumentCollection {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("rag-server-\(UUID().uuidString)")
        let sources = root.appendingPathComponent("manuals")
        try FileManager.default.createDirectory(at: sources, withIntermediateDirectories: true)
        for (name, text) in documents {
            try text.write(to: sources.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        let collection = try DocumentCollection(
            directory: root.appendingPathComponent("collection"), embedder: embedder.name,
            dimension: embedder.dimension)
        let files = documents.keys.sorted().map { SourceFile(url: sources.appendingPathComponent($0), source: $0) }
        _ = try Ingestor(embedder: embedder, collection: collection).ingest(files: files)
        return collection
    }

    /// A ready service over the shared models.
    static func service(
        settings: ServerSettings = ServerSettings(
            adaptersDirectory: TestResources.fixtures.appendingPathComponent("adapters")),
        collection: DocumentCollection? = nil, privateModel: Bool = false
    ) async throws -> RAGService {
        let models = try await shared.load()
        let service = RAGService(settings: settings)
        // The shared model answers one test at a time; a private one lets a test watch its own generations.
        let model = privateModel ? try LanguageModel(url: try TestResources.requireSmolLM()) : models.model
        try service.ready(
            ServiceComponents(
                embedder: models.embedder, collection: collection ?? models.collection, model: model,
                queue: service.generationQueue))
        return service
    }

    static func app(_ service: RAGService) -> some ApplicationProtocol {
        Application(router: RAGServer.router(service: service), server: RAGServer.server(service.settings))
    }
}

extension TestClientProtocol {
    /// POSTs `json` and hands the response to `check`.
    @discardableResult
    func post<Value: Sendable>(
        _ uri: String, json: String, headers: HTTPFields = [:],
        _ check: @escaping @Sendable (TestResponse) async throws -> Value
    ) async throws -> Value {
        var headers = headers
        headers[.contentType] = "application/json"
        return try await execute(
            uri: uri, method: .post, headers: headers, body: ByteBuffer(string: json), testCallback: check)
    }
}

extension TestResponse {
    /// The body parsed as a JSON object (empty when it is not one).
    var json: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(body.readableBytesView))) as? [String: Any] ?? [:]
    }

    var text: String { String(buffer: body) }

    /// The `error` member of an error body (empty when there is none).
    var errorObject: [String: Any] { json["error"] as? [String: Any] ?? [:] }
}
