import Foundation
import Hummingbird
import LanguageModel
import RAG

/// `POST /v1/ab`: one question answered by the base model and by an adapter, on the same passages
/// and with the same seed, side by side, each answer logged with its own id for feedback.
struct SideBySideController {
    let service: RAGService

    func addRoutes(to router: Router<ServiceRequestContext>) {
        router.post("/v1/ab") { request, _ in try await compare(request) }
    }

    struct Result: Encodable {
        var object = "rag.ab"
        var question: String
        var arms: [QueryResponse]
    }

    func compare(_ request: Request) async throws -> Response {
        let components = try service.require()
        let body = try await JSONRequest.read(request, limit: service.settings.bodyLimit)
        let question = try body.requiredString("question")
        guard let adapter = try body.string("adapter") ?? service.settings.split?.adapter else {
            throw APIError.invalid(
                "name the adapter to compare with the base model ('adapter'), or start the server with --ab",
                param: "adapter")
        }
        let user = try body.string("user") ?? request.headers[.userID]
        var generation = try body.generationOptions(
            defaultMaxTokens: service.settings.defaultMaxTokens,
            contextLength: components.model.configuration.contextLength)
        let adapted = try service.activeAdapters(named: adapter, model: components.model)
        let k = try body.int("k", in: 1...AnswerRequest.maximumK) ?? 4
        var arms: [QueryResponse] = []
        // The collection is searched once and both arms answer from those passages, one after the
        // other (the model answers one request at a time anyway).
        let retrieved = try await components.answerer.retrieve(
            AnswerRequest(question: question, k: k, generation: generation))
        for arm in [nil, adapter] {
            generation.adapters = arm == nil ? [] : adapted
            let prepared = try await components.answerer.prepare(
                AnswerRequest(question: question, k: k, generation: generation), retrieved: retrieved)
            let responses = AnswerResponses(
                service: service, model: arm ?? components.model.name, adapter: arm, question: question, user: user)
            let id = Identifiers.make("ans")
            let answer = try await responses.collect(prepared, id: id)
            arms.append(
                QueryResponse(
                    id: id, model: arm ?? components.model.name, answer: answer, arm: ExperimentLog.armName(arm)))
        }
        return try JSONResponse.make(Result(question: question, arms: arms))
    }
}
