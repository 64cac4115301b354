import Foundation
import Hummingbird
import HummingbirdTesting
import TestSupport
import Testing

@testable import RAG
@testable import RAGServer

@Suite("Online A/B: arms, feedback, side by side")
struct ABRouteTests {
    func abService(percent: Double) async throws -> RAGService {
        var settings = ServerSettings(adaptersDirectory: TestResources.fixtures.appendingPathComponent("adapters"))
        settings.split = TrafficSplit(adapter: "aurora-qv", percent: percent)
        let service = try await ServerFixture.service(settings: settings)
        _ = try service.adapters.load("aurora-qv", for: try #require(service.components?.model))
        return service
    }

    @Test("the split is sticky per user and follows the percentage")
    func split() {
        let split = TrafficSplit(adapter: "a", percent: 30)
        let users = (0..<2000).map { "user-\($0)" }
        let adapted = users.filter { split.arm(for: $0) == "a" }.count
        #expect((500...700).contains(adapted))
        #expect(users.allSatisfy { split.arm(for: $0) == split.arm(for: $0) })
        #expect(TrafficSplit(argument: "aurora-qv:25") == TrafficSplit(adapter: "aurora-qv", percent: 25))
        #expect(TrafficSplit(argument: "aurora-qv") == nil && TrafficSplit(argument: "x:101") == nil)
    }

    @Test("answers carry their arm; feedback on them is stored, unknown answers are 404")
    func feedback() async throws {
        let service = try await abService(percent: 100)
        try await ServerFixture.app(service).test(.router) { client in
            let (id, quotes): (String, Bool) = try await client.post(
                "/v1/query", json: #"{"question": "How long does the battery last?", "user": "u1", "max_tokens": 3}"#
            ) { response in
                #expect(response.json["arm"] as? String == "aurora-qv")
                #expect(response.json["model"] as? String == "aurora-qv")
                return (response.json["id"] as? String ?? "", try #require(response.json["quotes_passage"] as? Bool))
            }
            try await client.post(
                "/v1/feedback", json: #"{"answer_id": "\#(id)", "rating": "up", "resolved": true, "comment": "ok"}"#
            ) { response in
                #expect(response.status == .created)
            }
            try await client.post("/v1/feedback", json: #"{"answer_id": "nope", "rating": "up"}"#) { response in
                #expect(response.status == .notFound)
            }
            try await client.post("/v1/feedback", json: #"{"answer_id": "\#(id)", "rating": "meh"}"#) { response in
                #expect(response.status == .badRequest)
            }
            let records = try #require(try service.experimentLog?.armRecords())
            #expect(records["aurora-qv"]?.ratings == [true])
            #expect(records["aurora-qv"]?.resolutions == [true])
            try await client.execute(uri: "/v1/ab/stats", method: .get) { response in
                #expect(response.status == .ok)
                let arms = try #require(response.json["arms"] as? [[String: Any]])
                let adapter = try #require(arms.first { $0["arm"] as? String == "aurora-qv" })
                #expect((adapter["answers"] as? Int ?? 0) >= 1)
                #expect(adapter["thumbs_up_rate"] as? Double == 1)
                #expect(adapter["resolution_rate"] as? Double == 1)
                // The log beside the shared collection also holds other tests' answers.
                let quoting = try #require(adapter["quoting_passage"] as? Int)
                #expect(quoting >= (quotes ? 1 : 0) && quoting <= adapter["answers"] as? Int ?? 0)
                #expect(adapter["median_latency_ms"] is Double)
                let comparisons = try #require(response.json["comparisons"] as? [[String: Any]])
                #expect(comparisons.first?["arm"] as? String == "aurora-qv")
            }
            // A request naming the base model is answered by it, whatever the split says.
            try await client.post(
                "/v1/chat/completions",
                json:
                    #"{"model": "SmolLM2-135M-Instruct.Q4_1", "max_tokens": 2, "messages": [{"role": "user", "content": "Hi"}]}"#
            ) { response in
                #expect(response.json["arm"] as? String == "base")
            }
        }
    }

    @Test("POST /v1/ab answers with both arms on the same passages")
    func sideBySide() async throws {
        let service = try await abService(percent: 50)
        try await ServerFixture.app(service).test(.router) { client in
            try await client.post("/v1/ab", json: #"{"question": "How do I clean the filter?", "max_tokens": 8}"#) {
                response in
                #expect(response.status == .ok)
                let arms = try #require(response.json["arms"] as? [[String: Any]])
                #expect(arms.compactMap { $0["arm"] as? String } == ["base", "aurora-qv"])
                let passages = arms.map { ($0["passages"] as? [[String: Any]])?.compactMap { $0["chunk_id"] as? Int } }
                #expect(passages[0] == passages[1] && passages[0]?.isEmpty == false)
                #expect(Set(arms.compactMap { $0["id"] as? String }).count == 2)
            }
        }
    }
}
