import Embedder
import LanguageModel
import RAG
import VectorIndex

/// The loaded parts the routes work with: ready once the models are in memory.
public struct ServiceComponents: Sendable {
    public let embedder: SentenceEmbedder
    public let collection: DocumentCollection
    public let model: LanguageModel
    public let answerer: QuestionAnswerer
    public var retriever: Retriever { answerer.retriever }

    public init(
        embedder: SentenceEmbedder, collection: DocumentCollection, model: LanguageModel,
        relevanceThreshold: Double = QuestionAnswerer.defaultRelevanceThreshold,
        prompts: PromptBuilder = PromptBuilder(),
        queue: AdmissionQueue
    ) {
        self.embedder = embedder
        self.collection = collection
        self.model = model
        answerer = QuestionAnswerer(
            retriever: Retriever(embedder: embedder, collection: collection), model: model, prompts: prompts,
            queue: queue, relevanceThreshold: relevanceThreshold)
    }
}
