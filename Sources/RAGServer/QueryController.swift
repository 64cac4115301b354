import Foundation
import HTTPTypes
import Hummingbird
import LanguageModel
import RAG

/// `POST /v1/query`: a question in, a grounded answer with citations out (or streamed).
struct QueryController {
    let service: RAGService

    func addRoutes(to router: Router<ServiceRequestContext>) {
        router.post("/v1/query") { request, _ in try await query(request) }
    }

    func query(_ request: Request) async throws -> Response {
        let components = try service.require()
        let body = try await JSONRequest.read(request, limit: service.settings.bodyLimit)
        let question = try body.requiredString("question")
        let user = try body.string("user") ?? request.headers[.userID]
        let adapter = service.chooseAdapter(named: try body.string("adapter"), user: user, model: components.model)
        let weight = try body.double("adapter_weight", in: -4...4) ?? 1
        var generation = try body.generationOptions(
            defaultMaxTokens: service.settings.defaultMaxTokens,
            contextLength: components.model.configuration.contextLength)
        generation.adapters = try service.activeAdapters(named: adapter, weight: Float(weight), model: components.model)
        let mode = try body.string("mode").map { text in
            guard let mode = SearchMode(rawValue: text) else {
                throw APIError.invalid("'mode' must be hybrid, dense or keyword, got '\(text)'", param: "mode")
            }
            return mode
        }
        let answerRequest = AnswerRequest(
            question: question, k: try body.int("k", in: 1...AnswerRequest.maximumK) ?? 4, mode: mode ?? .hybrid,
            sourcePrefix: try body.string("source_prefix"), generation: generation)
        let stream = try body.bool("stream") ?? false
        let prepared = try await components.answerer.prepare(answerRequest)
        let responses = AnswerResponses(
            service: service, model: adapter ?? components.model.name, adapter: adapter, question: question, user: user)
        let id = Identifiers.make("ans")
        if stream { return responses.stream(prepared, id: id, style: .query) }
        let answer = try await responses.collect(prepared, id: id)
        return try JSONResponse.make(
            QueryResponse(
                id: id, model: adapter ?? components.model.name, answer: answer, arm: ExperimentLog.armName(adapter)))
    }
}

extension HTTPField.Name {
    /// The user a request speaks for, when the body has no `user` field (keeps A/B arms sticky).
    static let userID = HTTPField.Name("X-User-Id")!
}
