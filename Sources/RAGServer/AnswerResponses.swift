import Foundation
import Hummingbird
import LanguageModel
import Logging
import RAG

/// Turns a prepared answer into a response: one JSON object, or a stream of events.
struct AnswerResponses {
    /// Which API the answer goes out through.
    enum Style {
        /// `/v1/query`: a `citations` event first, extra fields on the last chunk.
        case query
        /// `/v1/chat/completions`: plain OpenAI chunks, the passages in a `sources` field.
        case chat
    }

    let service: RAGService
    let model: String
    let adapter: String?
    /// What the experiment log records with each answer.
    let question: String
    let user: String?
    /// User turns in the conversation so far, this one included.
    var turn = 1

    /// Generates the whole answer, recording it in the metrics and the experiment log.
    func collect(_ prepared: PreparedAnswer, id: String) async throws -> Answer {
        for try await event in prepared.events() {
            if case .finished(let answer) = event {
                record(answer, id: id)
                return answer
            }
        }
        throw CancellationError()
    }

    /// A Server-Sent Events response. A client that disconnects makes the next write fail, which
    /// ends the loop and, with it, the generation.
    func stream(_ prepared: PreparedAnswer, id: String, style: Style) -> Response {
        let created = Identifiers.now
        let model = model
        return Response(
            status: .ok, headers: ServerSentEvents.headers,
            body: ResponseBody { writer in
                func chunk(_ delta: ChunkPayload.Choice.Delta, finish: String? = nil) -> ChunkPayload {
                    ChunkPayload(
                        id: id, created: created, model: model,
                        choices: [ChunkPayload.Choice(delta: delta, finishReason: finish)])
                }
                do {
                    for try await event in prepared.events() {
                        switch event {
                        case .passages(let passages):
                            var first = chunk(.init(role: "assistant", content: ""))
                            if style == .query {
                                try await writer.write(
                                    ServerSentEvents.event(
                                        CitationsEvent(id: id, passages: passages), name: "citations"))
                            } else {
                                first.sources = passages
                            }
                            try await writer.write(ServerSentEvents.event(first))
                        case .text(let piece):
                            try await writer.write(ServerSentEvents.event(chunk(.init(content: piece))))
                        case .finished(let answer):
                            record(answer, id: id)
                            var last = chunk(.init(), finish: answer.finishReason.openAIName)
                            last.citations = answer.citations
                            last.unsupportedSentences = answer.unsupportedSentences
                            last.covered = answer.covered
                            last.quotesPassage = answer.quotesPassage
                            last.usage = UsagePayload(answer.usage)
                            if style == .query { last.timings = TimingsPayload(answer.timings) }
                            last.arm = ExperimentLog.armName(adapter)
                            try await writer.write(ServerSentEvents.event(last))
                        }
                    }
                    try await writer.write(ServerSentEvents.done)
                    try await writer.finish(nil)
                } catch {
                    // Either the client is gone (then these writes fail too) or generation failed.
                    try? await writer.write(ServerSentEvents.error(error))
                    try? await writer.write(ServerSentEvents.done)
                    try? await writer.finish(nil)
                }
            })
    }

    private func record(_ answer: Answer, id: String) {
        // A failed log write must not fail an answer already given; it shows in the server log.
        do {
            try service.experimentLog?.record(
                ExperimentLog.Entry(
                    id: id, adapter: adapter, user: user, turn: turn, question: question, answer: answer.text,
                    latencyMilliseconds: answer.timings.totalMilliseconds, quotesPassage: answer.quotesPassage))
        } catch {
            service.logger.error("the experiment log refused answer \(id): \(error)")
        }
        guard answer.covered else { return }
        let decodeSeconds =
            max(0, answer.timings.totalMilliseconds - answer.timings.timeToFirstTokenMilliseconds) / 1000
        service.metrics.recordGeneration(
            tokens: answer.usage.completionTokens, seconds: decodeSeconds, adapter: adapter)
    }
}

extension FinishReason {
    /// OpenAI's finish_reason: a cancelled answer never reaches a client, so it reads as "stop".
    var openAIName: String {
        switch self {
        case .stop, .cancelled: return "stop"
        case .length: return "length"
        }
    }
}
