import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import RAGServer

@Suite("Adapters, documents, health, metrics and errors")
struct AdminRouteTests {
    @Test("adapters load by name, answer as a model, unload; vLLM's routes do the same")
    func adapters() async throws {
        let service = try await ServerFixture.service()
        try await ServerFixture.app(service).test(.router) { client in
            try await client.execute(uri: "/v1/adapters", method: .get) { response in
                let data = try #require(response.json["data"] as? [[String: Any]])
                #expect(data.compactMap { $0["name"] as? String } == ["aurora-all", "aurora-qv"])
                #expect(data.allSatisfy { $0["loaded"] as? Bool == false })
            }
            try await client.post("/v1/adapters", json: #"{"name": "aurora-qv"}"#) { response in
                #expect(response.status == .created)
                #expect(response.json["rank"] as? Int == 8)
            }
            let chat = #"{"model": "aurora-qv", "max_tokens": 4, "messages": [{"role": "user", "content": "Hi"}]}"#
            try await client.post("/v1/chat/completions", json: chat) { response in
                #expect(response.status == .ok)
                #expect(response.json["model"] as? String == "aurora-qv")
            }
            try await client.execute(uri: "/v1/adapters/aurora-qv", method: .delete) { response in
                #expect(response.status == .ok)
            }
            try await client.execute(uri: "/v1/adapters/aurora-qv", method: .delete) { response in
                #expect(response.status == .notFound)
            }
            try await client.post(
                "/v1/load_lora_adapter", json: #"{"lora_name": "aurora-all", "lora_path": "aurora-all"}"#
            ) {
                response in
                #expect(response.status == .ok)
                #expect(response.text.contains("Success"))
            }
            #expect(service.adapters.adapters.keys.sorted() == ["aurora-all"])
            try await client.post("/v1/unload_lora_adapter", json: #"{"lora_name": "aurora-all"}"#) { response in
                #expect(response.status == .ok)
            }
            #expect(service.adapters.adapters.isEmpty)
        }
    }

    @Test(
        "adapter names cannot reach outside the adapters folder",
        arguments: [
            #"{"name": "../adapters/aurora-qv"}"#, #"{"name": ".."}"#, #"{"name": "/etc"}"#, #"{"name": "a/b"}"#,
            #"{"name": "nonexistent"}"#,
        ])
    func traversal(body: String) async throws {
        let service = try await ServerFixture.service()
        try await ServerFixture.app(service).test(.router) { client in
            try await client.post("/v1/adapters", json: body) { response in
                #expect(response.status == .badRequest || response.status == .notFound)
            }
            try await client.post("/v1/load_lora_adapter", json: #"{"lora_name": "aurora-qv", "lora_path": "/etc"}"#) {
                response in
                #expect(response.status == .badRequest)
            }
        }
        #expect(service.adapters.adapters.isEmpty)
    }

    @Test("documents: add as JSON or multipart, find them, update, delete")
    func documents() async throws {
        let models = try await ServerFixture.shared.load()
        let collection = try ServerFixture.collection(embedder: models.embedder, documents: ServerFixture.manuals)
        let service = try await ServerFixture.service(collection: collection)
        try await ServerFixture.app(service).test(.router) { client in
            let json =
                ##"{"source": "dock.md", "text": "# Dock\n\nThe dock's LED blinks amber when the brushes jam."}"##
            try await client.post("/v1/documents", json: json) { response in
                #expect(response.status == .created)
                #expect(response.json["status"] as? String == "added")
            }
            try await client.post("/v1/documents", json: json) { response in
                #expect(response.status == .ok)
                #expect(response.json["status"] as? String == "unchanged")
            }
            try await client.post("/v1/search", json: #"{"query": "amber LED blinking", "k": 1}"#) { response in
                let first = (response.json["results"] as? [[String: Any]])?.first
                #expect(first?["source"] as? String == "dock.md")
            }
            let boundary = "XyZ123"
            let upload =
                "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"remote.txt\"\r\n"
                + "Content-Type: text/plain\r\n\r\nThe remote needs two AAA batteries.\r\n--\(boundary)--\r\n"
            try await client.execute(
                uri: "/v1/documents", method: .post,
                headers: [.contentType: "multipart/form-data; boundary=\(boundary)"], body: ByteBuffer(string: upload)
            ) { response in
                #expect(response.status == .created)
                #expect(response.json["source"] as? String == "remote.txt")
            }
            try await client.execute(uri: "/v1/documents", method: .get) { response in
                let sources = (response.json["data"] as? [[String: Any]])?.compactMap { $0["source"] as? String }
                #expect(sources?.sorted() == ["dock.md", "remote.txt", "vacuum.md", "warranty.md"])
            }
            try await client.execute(uri: "/v1/documents?source=dock.md", method: .delete) { response in
                #expect(response.status == .ok)
            }
            try await client.execute(uri: "/v1/documents?source=dock.md", method: .delete) { response in
                #expect(response.status == .notFound)
            }
            try await client.post("/v1/documents", json: #"{"source": "x.exe", "text": "hi"}"#) { response in
                #expect(response.status == .badRequest)
            }
        }
    }

    @Test("an API key guards every route but /healthz")
    func apiKey() async throws {
        var settings = ServerSettings(adaptersDirectory: URL(fileURLWithPath: "/nonexistent"))
        settings.apiKey = "s3cret"
        let service = try await ServerFixture.service(settings: settings)
        try await ServerFixture.app(service).test(.router) { client in
            try await client.execute(uri: "/healthz", method: .get) { response in #expect(response.status == .ok) }
            for uri in ["/v1/models", "/metrics", "/v1/documents", "/v1/adapters"] {
                try await client.execute(uri: uri, method: .get) { response in
                    #expect(response.status == .unauthorized)
                    #expect(response.errorObject["type"] as? String == "authentication_error")
                }
                try await client.execute(uri: uri, method: .get, headers: [.authorization: "Bearer wrong"]) {
                    response in
                    #expect(response.status == .unauthorized)
                }
                try await client.execute(uri: uri, method: .get, headers: [.authorization: "Bearer s3cret"]) {
                    response in
                    #expect(response.status == .ok)
                }
            }
            try await client.post("/v1/query", json: #"{"question": "hi"}"#) { response in
                #expect(response.status == .unauthorized)
            }
        }
    }

    @Test("/healthz is 503 until the models are loaded")
    func health() async throws {
        let service = RAGService(settings: ServerSettings())
        try await ServerFixture.app(service).test(.router) { client in
            try await client.execute(uri: "/healthz", method: .get) { response in
                #expect(response.status == .serviceUnavailable)
            }
            try await client.post("/v1/query", json: #"{"question": "hi"}"#) { response in
                #expect(response.status == .serviceUnavailable)
            }
        }
    }

    @Test("malformed bodies, unknown routes and oversized bodies get JSON errors")
    func malformed() async throws {
        var settings = ServerSettings()
        settings.bodyLimit = 2048
        let service = try await ServerFixture.service(settings: settings)
        try await ServerFixture.app(service).test(.router) { client in
            for body in ["{", "[1, 2]", "", "{\"question\": \"\u{1}\"", String(repeating: "[", count: 200)] {
                try await client.post("/v1/query", json: body) { response in
                    #expect(response.status == .badRequest)
                    #expect(response.errorObject["message"] is String)
                }
            }
            var invalid = ByteBuffer(string: #"{"question": ""#)
            invalid.writeBytes([0xff, 0xfe])
            invalid.writeString(#""}"#)
            try await client.execute(
                uri: "/v1/query", method: .post, headers: [.contentType: "application/json"], body: invalid
            ) { response in
                #expect(response.status == .badRequest)
            }
            let huge = #"{"question": "\#(String(repeating: "a", count: 5000))"}"#
            try await client.post("/v1/query", json: huge) { response in
                #expect(response.status == .contentTooLarge)
                #expect(response.errorObject["code"] as? String == "body_too_large")
            }
            try await client.execute(uri: "/v1/nothing", method: .get) { response in
                #expect(response.status == .notFound)
                #expect(response.errorObject["message"] != nil)
            }
        }
    }

    @Test("with no waiting room, questions asked one after another are all answered")
    func sequentialWithoutQueue() async throws {
        var settings = ServerSettings()
        settings.queueLimit = 0
        let service = try await ServerFixture.service(settings: settings)
        try await ServerFixture.app(service).test(.router) { client in
            for index in 0..<4 {
                let body = #"{"question": "How long does the battery last? (\#(index))", "max_tokens": 2}"#
                try await client.post("/v1/query", json: body) { response in
                    #expect(response.status == .ok, "\(response.text)")
                }
            }
        }
    }

    @Test("a full queue answers 429 at once")
    func queueFull() async throws {
        var settings = ServerSettings()
        settings.queueLimit = 0
        let service = try await ServerFixture.service(settings: settings)
        try await ServerFixture.app(service).test(.router) { client in
            // Hold the model's only slot, as a running answer does.
            let held = try await service.generationQueue.admit()
            try await client.post("/v1/query", json: #"{"question": "How long does the battery last?"}"#) { response in
                #expect(response.status == .tooManyRequests)
                #expect(response.errorObject["code"] as? String == "queue_full")
            }
            held.release()
            try await client.post(
                "/v1/query", json: #"{"question": "How long does the battery last?", "max_tokens": 2}"#
            ) {
                response in
                #expect(response.status == .ok)
            }
        }
    }

    @Test("metrics count requests by route and status, and generated tokens")
    func metrics() async throws {
        let service = try await ServerFixture.service()
        try await ServerFixture.app(service).test(.router) { client in
            try await client.post(
                "/v1/query", json: #"{"question": "How long does the battery last?", "max_tokens": 3}"#
            ) {
                _ in
            }
            try await client.execute(uri: "/metrics", method: .get) { response in
                #expect(response.status == .ok)
                let text = response.text
                #expect(text.contains(#"rag_requests_total{route="POST /v1/query",status="200"} 1"#))
                #expect(text.contains("rag_request_duration_seconds_bucket{route=\"POST /v1/query\",le=\"+Inf\"} 1"))
                #expect(text.contains("rag_tokens_generated_total "))
                #expect(text.contains(#"rag_answers_total{adapter="base"} 1"#))
                #expect(text.contains("rag_queue_depth 0"))
            }
        }
    }
}
