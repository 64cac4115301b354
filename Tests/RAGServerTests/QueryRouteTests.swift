import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import RAGServer

@Suite("POST /v1/query and /v1/search")
struct QueryRouteTests {
    @Test("a question gets an answer with structured citations, usage and timings")
    func answer() async throws {
        let service = try await ServerFixture.service()
        try await ServerFixture.app(service).test(.router) { client in
            try await client.post("/v1/query", json: #"{"question": "How long does the battery last?", "k": 2}"#) {
                response in
                #expect(response.status == .ok)
                let object = response.json
                #expect((object["answer"] as? String)?.isEmpty == false)
                #expect(object["covered"] as? Bool == true)
                #expect(object["model"] as? String == "SmolLM2-135M-Instruct.Q4_1")
                let passages = try #require(object["passages"] as? [[String: Any]])
                #expect(passages.count == 2)
                #expect(passages.first?["source"] as? String == "vacuum.md")
                #expect(passages.first?["heading"] as? String == "Aurora X2 robot vacuum > Battery")
                #expect(passages.first?["document_id"] is Int && passages.first?["start_offset"] is Int)
                let usage = try #require(object["usage"] as? [String: Any])
                #expect((usage["prompt_tokens"] as? Int ?? 0) > 50)
                let timings = try #require(object["timings"] as? [String: Any])
                #expect(timings["time_to_first_token_ms"] is Double && timings["retrieval_ms"] is Double)
                #expect(object["unsupported_sentences"] is [String])
                #expect(object["citations"] is [[String: Any]])
                // A JSON boolean (Foundation would also read the numbers 0 and 1 as a Bool).
                #expect(
                    response.text.contains(#""quotes_passage":false"#)
                        || response.text.contains(#""quotes_passage":true"#))
            }
        }
    }

    @Test("the second question reuses the cached instructions' keys and values")
    func prefixCache() async throws {
        let service = try await ServerFixture.service()
        try await ServerFixture.app(service).test(.router) { client in
            for _ in 0..<2 {
                try await client.post(
                    "/v1/query", json: #"{"question": "How do I clean the filter?", "max_tokens": 4}"#
                ) {
                    response in
                    #expect(response.status == .ok)
                }
            }
            try await client.post("/v1/query", json: #"{"question": "Is water damage covered?", "max_tokens": 4}"#) {
                response in
                let usage = try #require(response.json["usage"] as? [String: Any])
                #expect((usage["cached_prompt_tokens"] as? Int ?? 0) > 20)
            }
        }
    }

    @Test("a question the manuals do not cover is answered so, without generating")
    func notCovered() async throws {
        let service = try await ServerFixture.service()
        try await ServerFixture.app(service).test(.router) { client in
            try await client.post("/v1/query", json: #"{"question": "What is the capital of Mongolia?"}"#) { response in
                let object = response.json
                #expect(object["covered"] as? Bool == false)
                #expect((object["answer"] as? String)?.contains("do not cover") == true)
                #expect((object["usage"] as? [String: Any])?["completion_tokens"] as? Int == 0)
            }
        }
    }

    @Test("a streamed answer sends the citations event first, then chunks, then [DONE]")
    func stream() async throws {
        let service = try await ServerFixture.service()
        try await ServerFixture.app(service).test(.router) { client in
            try await client.post(
                "/v1/query",
                json: #"{"question": "How long does a full charge take?", "stream": true, "max_tokens": 16}"#
            ) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("text/event-stream") == true)
                let events = response.text.components(separatedBy: "\n\n").filter { !$0.isEmpty }
                #expect(events.first?.hasPrefix("event: citations\ndata: {") == true)
                #expect(events.last == "data: [DONE]")
                let last = try #require(events.dropLast().last)
                let final = try JSONSerialization.jsonObject(with: Data(last.dropFirst(6).utf8)) as? [String: Any]
                #expect(final?["object"] as? String == "chat.completion.chunk")
                #expect(final?["citations"] is [Any] && final?["usage"] is [String: Any])
                let choices = final?["choices"] as? [[String: Any]]
                #expect(choices?.first?["finish_reason"] as? String != nil)
            }
        }
    }

    @Test("search returns ranked chunks with scores and locations")
    func search() async throws {
        let service = try await ServerFixture.service()
        try await ServerFixture.app(service).test(.router) { client in
            try await client.post("/v1/search", json: #"{"query": "rinse the filter", "k": 3}"#) { response in
                #expect(response.status == .ok)
                let results = try #require(response.json["results"] as? [[String: Any]])
                #expect(results.count == 3)
                #expect(results.first?["heading"] as? String == "Aurora X2 robot vacuum > Filter")
                #expect(results.first?["rank"] as? Int == 1 && results.first?["chunk_id"] is Int)
            }
        }
    }

    @Test(
        "bad query requests get OpenAI-shaped 4xx errors naming the field",
        arguments: [
            (#"{"question": 3}"#, "question"),
            (#"{"question": "hi", "k": -1}"#, "k"),
            (#"{"question": "hi", "k": 1e99}"#, "k"),
            (#"{"question": "hi", "max_tokens": 100000000}"#, "max_tokens"),
            (#"{"question": "hi", "temperature": "hot"}"#, "temperature"),
            (#"{"k": 2}"#, "question"),
            (#"{"question": "   "}"#, "question"),
            (#"{"question": "hi", "mode": "fuzzy"}"#, "mode"),
        ])
    func badRequests(body: String, param: String) async throws {
        let service = try await ServerFixture.service()
        try await ServerFixture.app(service).test(.router) { client in
            try await client.post("/v1/query", json: body) { response in
                #expect(response.status == .badRequest)
                let error = response.errorObject
                #expect(error["param"] as? String == param)
                #expect(error["type"] as? String == "invalid_request_error")
                #expect((error["message"] as? String)?.isEmpty == false)
            }
        }
    }

    @Test("an unknown adapter is a 404")
    func unknownAdapter() async throws {
        let service = try await ServerFixture.service()
        try await ServerFixture.app(service).test(.router) { client in
            try await client.post("/v1/query", json: #"{"question": "hi", "adapter": "nope"}"#) { response in
                #expect(response.status == .notFound)
                #expect(response.errorObject["code"] as? String == "model_not_found")
            }
        }
    }
}
