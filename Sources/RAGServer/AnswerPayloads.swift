import Foundation
import RAG

/// `POST /v1/query`'s answer.
struct QueryResponse: Encodable {
    var id: String
    var object = "rag.answer"
    var created: Int
    /// The base model's name, or the adapter's.
    var model: String
    var answer: String
    var covered: Bool
    /// True when the model said nothing usable and the answer quotes the best passage.
    var quotesPassage: Bool
    var citations: [Citation]
    var passages: [Passage]
    var unsupportedSentences: [String]
    var finishReason: String
    var usage: UsagePayload
    var timings: TimingsPayload
    /// The A/B arm that answered: "base" or the adapter's name.
    var arm: String

    init(id: String, model: String, answer: Answer, arm: String) {
        self.id = id
        created = Identifiers.now
        self.model = model
        self.answer = answer.text
        covered = answer.covered
        quotesPassage = answer.quotesPassage
        citations = answer.citations
        passages = answer.passages
        unsupportedSentences = answer.unsupportedSentences
        finishReason = answer.finishReason.openAIName
        usage = UsagePayload(answer.usage)
        timings = TimingsPayload(answer.timings)
        self.arm = arm
    }
}

struct UsagePayload: Encodable {
    var promptTokens: Int
    var completionTokens: Int
    var totalTokens: Int
    var cachedPromptTokens: Int

    init(_ usage: TokenUsage) {
        promptTokens = usage.promptTokens
        completionTokens = usage.completionTokens
        totalTokens = usage.totalTokens
        cachedPromptTokens = usage.cachedPromptTokens
    }
}

struct TimingsPayload: Encodable {
    var retrievalMs: Double
    var queueMs: Double
    var timeToFirstTokenMs: Double
    var totalMs: Double

    init(_ timings: AnswerTimings) {
        func round(_ value: Double) -> Double { (value * 10).rounded() / 10 }
        retrievalMs = round(timings.retrievalMilliseconds)
        queueMs = round(timings.queueMilliseconds)
        timeToFirstTokenMs = round(timings.timeToFirstTokenMilliseconds)
        totalMs = round(timings.totalMilliseconds)
    }
}

/// One chunk of a streamed answer, in OpenAI's `chat.completion.chunk` shape, with the extra
/// fields this service adds on the first and last chunks.
struct ChunkPayload: Encodable {
    struct Choice: Encodable {
        struct Delta: Encodable {
            var role: String?
            var content: String?
        }
        var index = 0
        var delta: Delta
        var finishReason: String?

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(index, forKey: .index)
            try container.encode(delta, forKey: .delta)
            try container.encode(finishReason, forKey: .finishReason)  // null until the last chunk
        }

        enum CodingKeys: String, CodingKey {
            case index, delta, finishReason
        }
    }
    var id: String
    var object = "chat.completion.chunk"
    var created: Int
    var model: String
    var choices: [Choice]
    var sources: [Passage]?
    var citations: [Citation]?
    var unsupportedSentences: [String]?
    var covered: Bool?
    var quotesPassage: Bool?
    var usage: UsagePayload?
    var timings: TimingsPayload?
    var arm: String?
}

/// The citations event of a streamed `/v1/query`: the numbered passages the answer may cite.
struct CitationsEvent: Encodable {
    var id: String
    var object = "rag.citations"
    var passages: [Passage]
}

enum Identifiers {
    static func make(_ prefix: String) -> String {
        prefix + "-" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(24)
    }

    static var now: Int { Int(Date().timeIntervalSince1970) }
}
