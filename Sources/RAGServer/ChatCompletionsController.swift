import Foundation
import Hummingbird
import LanguageModel
import RAG
import StrictJSON
import Tokenizers

/// `POST /v1/chat/completions`, OpenAI-compatible: `model` names the base model or an adapter;
/// the last user message is answered from the collection unless `rag.enabled` is false, and the
/// passages come back in a `sources` field.
struct ChatCompletionsController {
    let service: RAGService

    func addRoutes(to router: Router<ServiceRequestContext>) {
        router.post("/v1/chat/completions") { request, _ in try await complete(request) }
    }

    /// OpenAI's chat completion object, with this service's extra fields.
    struct Completion: Encodable {
        struct Choice: Encodable {
            var index = 0
            var message: ChatMessage
            var finishReason: String
        }
        var id: String
        var object = "chat.completion"
        var created: Int
        var model: String
        var choices: [Choice]
        var usage: UsagePayload
        var sources: [Citation]
        var unsupportedSentences: [String]
        var covered: Bool
        /// The A/B arm that answered: "base" or the adapter's name.
        var arm: String
    }

    func complete(_ request: Request) async throws -> Response {
        let components = try service.require()
        let body = try await JSONRequest.read(request, limit: service.settings.bodyLimit)
        let messages = try Self.messages(body)
        guard let last = messages.last, last.role == "user" else {
            throw APIError.invalid("the last message must have the role 'user'", param: "messages")
        }
        if let n = try body.int("n", in: 1...Int.max), n != 1 {
            throw APIError.invalid("only n = 1 is supported, got \(n)", param: "n", code: "unsupported_value")
        }
        let user = try body.string("user") ?? request.headers[.userID]
        let adapter = service.chooseAdapter(named: try body.string("model"), user: user, model: components.model)
        var generation = try body.generationOptions(
            defaultMaxTokens: service.settings.defaultMaxTokens,
            contextLength: components.model.configuration.contextLength)
        generation.adapters = try service.activeAdapters(named: adapter, model: components.model)

        let options = try body.object("rag")
        if let collection = try options?.string("collection"),
            collection != components.collection.directory.lastPathComponent
        {
            throw APIError.notFound(
                "this server answers from the collection '\(components.collection.directory.lastPathComponent)', "
                    + "not '\(collection)'", param: "rag.collection", code: "collection_not_found")
        }
        let system = messages.filter { $0.role == "system" || $0.role == "developer" }.map(\.content)
        var answerRequest = AnswerRequest(
            question: last.content, k: try options?.int("k", in: 1...AnswerRequest.maximumK) ?? 4,
            useRetrieval: try options?.bool("enabled") ?? true,
            conversation: messages.dropLast().filter { $0.role == "user" || $0.role == "assistant" },
            extraInstructions: system.isEmpty ? nil : system.joined(separator: "\n\n"), generation: generation)
        // A follow-up ("and how long does that take?") is searched together with the question before it.
        if let previous = messages.dropLast().last(where: { $0.role == "user" }) {
            answerRequest.retrievalQuery = previous.content + "\n" + last.content
        }
        let stream = try body.bool("stream") ?? false
        let prepared = try await components.answerer.prepare(answerRequest)
        var responses = AnswerResponses(
            service: service, model: adapter ?? components.model.name, adapter: adapter, question: last.content,
            user: user)
        responses.turn = messages.filter { $0.role == "user" }.count
        let id = Identifiers.make("chatcmpl")
        if stream { return responses.stream(prepared, id: id, style: .chat) }
        let answer = try await responses.collect(prepared, id: id)
        return try JSONResponse.make(
            Completion(
                id: id, created: Identifiers.now, model: adapter ?? components.model.name,
                choices: [
                    Completion.Choice(
                        message: ChatMessage(role: "assistant", content: answer.text),
                        finishReason: answer.finishReason.openAIName)
                ],
                usage: UsagePayload(answer.usage), sources: answer.citations,
                unsupportedSentences: answer.unsupportedSentences, covered: answer.covered,
                arm: ExperimentLog.armName(adapter)))
    }

    /// The `messages` array: roles system, developer, user, assistant; content a string or an
    /// array of text parts.
    static func messages(_ body: JSONRequest) throws -> [ChatMessage] {
        guard let items = try body.array("messages"), !items.isEmpty else {
            throw APIError.invalid("'messages' must be a non-empty array of messages", param: "messages")
        }
        guard items.count <= 256 else {
            throw APIError.invalid("'messages' holds \(items.count) messages; at most 256", param: "messages")
        }
        return try items.enumerated().map { index, item in
            let param = "messages[\(index)]"
            guard case .object = item else {
                throw APIError.invalid("\(param) must be an object, found \(item.summary)", param: param)
            }
            guard let role = item["role"]?.string, ["system", "developer", "user", "assistant"].contains(role) else {
                throw APIError.invalid(
                    "\(param).role must be system, developer, user or assistant", param: "\(param).role")
            }
            return ChatMessage(role: role, content: try content(item["content"], param: "\(param).content"))
        }
    }

    private static func content(_ value: JSONValue?, param: String) throws -> String {
        if let text = value?.string { return text }
        guard let parts = value?.arrayItems else {
            throw APIError.invalid("\(param) must be a string or an array of text parts", param: param)
        }
        return try parts.map { part in
            guard part["type"]?.string == "text", let text = part["text"]?.string else {
                throw APIError.invalid("\(param) may hold only parts of type 'text'", param: param)
            }
            return text
        }.joined(separator: "\n")
    }
}
