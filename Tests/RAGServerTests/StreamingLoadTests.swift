import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import RAGServer

@Suite("Streams under load")
struct StreamingLoadTests {
    @Test("8 concurrent streaming clients are all answered, queued behind one model")
    func concurrentStreams() async throws {
        let service = try await ServerFixture.service()
        try await ServerFixture.app(service).test(.router) { client in
            let statuses = try await withThrowingTaskGroup(of: (HTTPResponse.Status, Bool).self) { group in
                for index in 0..<8 {
                    group.addTask {
                        let body =
                            #"{"question": "How long does the battery last? (\#(index))", "stream": true, "max_tokens": 6}"#
                        return try await client.post("/v1/query", json: body) { response in
                            (response.status, response.text.hasSuffix("data: [DONE]\n\n"))
                        }
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.count == 8)
            #expect(statuses.allSatisfy { $0.0 == .ok && $0.1 })
        }
    }

    @Test("past the queue bound the extra clients get 429, the others their answers")
    func boundedQueue() async throws {
        var settings = ServerSettings()
        settings.queueLimit = 2
        let service = try await ServerFixture.service(settings: settings)
        try await ServerFixture.app(service).test(.router) { client in
            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for index in 0..<8 {
                    group.addTask {
                        let body = #"{"question": "How do I clean the filter? (\#(index))", "max_tokens": 24}"#
                        return try await client.post("/v1/query", json: body) { $0.status }
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.allSatisfy { $0 == .ok || $0 == .tooManyRequests })
            #expect(statuses.contains(.tooManyRequests))
            #expect(statuses.filter { $0 == .ok }.count >= 3)
        }
    }
}
