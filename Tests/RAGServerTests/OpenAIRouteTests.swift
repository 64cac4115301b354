import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import RAGServer

@Suite("OpenAI-compatible routes")
struct OpenAIRouteTests {
    @Test("chat completion from the collection, with sources")
    func chat() async throws {
        let service = try await ServerFixture.service()
        try await ServerFixture.app(service).test(.router) { client in
            let body = #"""
                {"model": "SmolLM2-135M-Instruct.Q4_1", "max_tokens": 24, "seed": 7,
                 "messages": [{"role": "system", "content": "Answer in one sentence."},
                              {"role": "user", "content": [{"type": "text", "text": "How long does the battery last?"}]}]}
                """#
            try await client.post("/v1/chat/completions", json: body) { response in
                #expect(response.status == .ok)
                let object = response.json
                #expect(object["object"] as? String == "chat.completion")
                let choice = try #require((object["choices"] as? [[String: Any]])?.first)
                let message = try #require(choice["message"] as? [String: Any])
                #expect(message["role"] as? String == "assistant")
                #expect((message["content"] as? String)?.isEmpty == false)
                #expect(["stop", "length"].contains(choice["finish_reason"] as? String ?? ""))
                #expect(object["sources"] is [Any])
                #expect((object["usage"] as? [String: Any])?["total_tokens"] is Int)
            }
        }
    }

    @Test("streamed chat completion: OpenAI chunks ending in [DONE], the passages on the first")
    func chatStream() async throws {
        let service = try await ServerFixture.service()
        try await ServerFixture.app(service).test(.router) { client in
            let body =
                #"{"stream": true, "max_tokens": 12, "messages": [{"role": "user", "content": "How do I clean the filter?"}]}"#
            try await client.post("/v1/chat/completions", json: body) { response in
                let events = response.text.components(separatedBy: "\n\n").filter { !$0.isEmpty }
                #expect(events.last == "data: [DONE]")
                #expect(events.allSatisfy { $0.hasPrefix("data: ") })
                let first = try JSONSerialization.jsonObject(with: Data(events[0].dropFirst(6).utf8)) as? [String: Any]
                #expect(first?["object"] as? String == "chat.completion.chunk")
                #expect((first?["sources"] as? [Any])?.isEmpty == false)
            }
        }
    }

    @Test("a follow-up question is searched together with the question before it")
    func followUp() async throws {
        let service = try await ServerFixture.service()
        try await ServerFixture.app(service).test(.router) { client in
            let body = #"""
                {"max_tokens": 2, "messages": [
                  {"role": "user", "content": "Is water damage covered?"},
                  {"role": "assistant", "content": "No."},
                  {"role": "user", "content": "And for how long is the rest?"}]}
                """#
            try await client.post("/v1/chat/completions", json: body) { response in
                #expect(response.status == .ok)
            }
            let stream = #"""
                {"max_tokens": 2, "stream": true, "messages": [
                  {"role": "user", "content": "Is water damage covered?"},
                  {"role": "assistant", "content": "No."},
                  {"role": "user", "content": "And for how long is the rest?"}]}
                """#
            try await client.post("/v1/chat/completions", json: stream) { response in
                let first = response.text.components(separatedBy: "\n\n").first ?? ""
                let chunk = try JSONSerialization.jsonObject(with: Data(first.dropFirst(6).utf8)) as? [String: Any]
                let sources = try #require(chunk?["sources"] as? [[String: Any]])
                #expect((sources.first?["heading"] as? String)?.hasSuffix("Coverage") == true)
            }
        }
    }

    @Test("retrieval can be turned off, and an unknown model or collection is a 404")
    func options() async throws {
        let service = try await ServerFixture.service()
        try await ServerFixture.app(service).test(.router) { client in
            let plain =
                #"{"max_tokens": 4, "rag": {"enabled": false}, "messages": [{"role": "user", "content": "Hi"}]}"#
            try await client.post("/v1/chat/completions", json: plain) { response in
                #expect(response.status == .ok)
                #expect((response.json["sources"] as? [Any])?.isEmpty == true)
            }
            let model = #"{"model": "gpt-4", "messages": [{"role": "user", "content": "Hi"}]}"#
            try await client.post("/v1/chat/completions", json: model) { response in
                #expect(response.status == .notFound)
            }
            let collection = #"{"rag": {"collection": "other"}, "messages": [{"role": "user", "content": "Hi"}]}"#
            try await client.post("/v1/chat/completions", json: collection) { response in
                #expect(response.status == .notFound)
            }
            let assistantLast = #"{"messages": [{"role": "assistant", "content": "Hi"}]}"#
            try await client.post("/v1/chat/completions", json: assistantLast) { response in
                #expect(response.status == .badRequest)
            }
        }
    }

    @Test("embeddings: unit vectors in input order; truncate false refuses an over-long input with its count")
    func embeddings() async throws {
        let service = try await ServerFixture.service()
        try await ServerFixture.app(service).test(.router) { client in
            try await client.post("/v1/embeddings", json: #"{"input": ["battery life", "filter"]}"#) { response in
                #expect(response.status == .ok)
                let data = try #require(response.json["data"] as? [[String: Any]])
                #expect(data.map { $0["index"] as? Int } == [0, 1])
                let vector = try #require(data[0]["embedding"] as? [Double])
                #expect(vector.count == 384)
                #expect(abs(vector.reduce(0) { $0 + $1 * $1 } - 1) < 1e-3)
            }
            try await client.post("/v1/embeddings", json: #"{"input": "filter", "encoding_format": "base64"}"#) {
                response in
                let data = try #require(response.json["data"] as? [[String: Any]])
                let bytes = try #require(Data(base64Encoded: data[0]["embedding"] as? String ?? ""))
                #expect(bytes.count == 384 * 4)
            }
            let long = String(repeating: "battery ", count: 400)
            try await client.post("/v1/embeddings", json: #"{"input": "\#(long)", "truncate": false}"#) { response in
                #expect(response.status == .badRequest)
                let message = response.errorObject["message"] as? String ?? ""
                #expect(message.contains("402 tokens"))
            }
            try await client.post("/v1/embeddings", json: #"{"input": "\#(long)"}"#) { response in
                #expect(response.status == .ok)
            }
        }
    }

    @Test("models: the base, the embedder, and each loaded adapter with its parent")
    func models() async throws {
        let service = try await ServerFixture.service()
        try await ServerFixture.app(service).test(.router) { client in
            try await client.post("/v1/adapters", json: #"{"name": "aurora-qv"}"#) { response in
                #expect(response.status == .created)
            }
            try await client.execute(uri: "/v1/models", method: .get) { response in
                let data = try #require(response.json["data"] as? [[String: Any]])
                let ids = data.compactMap { $0["id"] as? String }
                #expect(ids == ["SmolLM2-135M-Instruct.Q4_1", "all-MiniLM-L6-v2", "aurora-qv"])
                #expect(data[2]["parent"] as? String == "SmolLM2-135M-Instruct.Q4_1")
            }
        }
    }
}
