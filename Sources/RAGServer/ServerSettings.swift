import Foundation
import RAG

/// What `rag serve` is told: limits, the key, where adapters and uploads live.
public struct ServerSettings: Sendable {
    /// When set, every route but /healthz needs `Authorization: Bearer <key>`.
    public var apiKey: String?
    /// Largest JSON body accepted (an upload gets `uploadLimit`).
    public var bodyLimit: Int
    /// Largest document upload.
    public var uploadLimit: Int
    /// Longest a client may take to send a request body (408 past it).
    public var bodyTimeout: Duration
    /// Longest a client may take to send a document upload.
    public var uploadTimeout: Duration
    /// A connection that sends nothing for this long while a request is read, or between requests,
    /// is closed.
    public var idleTimeout: Duration
    /// The folder `POST /v1/adapters` loads from by name.
    public var adaptersDirectory: URL
    /// Answers that may wait for the model; past it, 429.
    public var queueLimit: Int
    /// Embedding requests (search, embeddings) running at once, and waiting.
    public var embeddingSlots: Int
    public var embeddingQueueLimit: Int
    /// Most texts one /v1/embeddings request may carry.
    public var maxEmbeddingInputs: Int
    /// `max_tokens` when a request gives none.
    public var defaultMaxTokens: Int
    /// An online A/B test: the share of users whose answers come from an adapter.
    public var split: TrafficSplit?

    public init(
        apiKey: String? = nil, bodyLimit: Int = 1 << 20, uploadLimit: Int = 32 << 20,
        adaptersDirectory: URL = URL(fileURLWithPath: "adapters"), queueLimit: Int = 16, embeddingSlots: Int = 2,
        embeddingQueueLimit: Int = 64, maxEmbeddingInputs: Int = 256, defaultMaxTokens: Int = 256,
        bodyTimeout: Duration = .seconds(30), uploadTimeout: Duration = .seconds(300),
        idleTimeout: Duration = .seconds(60)
    ) {
        self.bodyTimeout = bodyTimeout
        self.uploadTimeout = uploadTimeout
        self.idleTimeout = idleTimeout
        self.apiKey = apiKey
        self.bodyLimit = bodyLimit
        self.uploadLimit = uploadLimit
        self.adaptersDirectory = adaptersDirectory
        self.queueLimit = queueLimit
        self.embeddingSlots = embeddingSlots
        self.embeddingQueueLimit = embeddingQueueLimit
        self.maxEmbeddingInputs = maxEmbeddingInputs
        self.defaultMaxTokens = defaultMaxTokens
    }
}
