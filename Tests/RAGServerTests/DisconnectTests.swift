import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import LanguageModel
@testable import RAGServer

/// On real sockets: the router test client cannot hang up in the middle of a response.
@Suite("Clients that disconnect")
struct DisconnectTests {
    @Test("a client that disconnects mid-stream stops its generation and frees the model")
    func disconnect() async throws {
        let service = try await ServerFixture.service(privateModel: true)
        let model = try #require(service.components?.model)
        try await ServerFixture.app(service).test(.live) { client in
            // The test client's own connection is served first: a connection still waiting to be
            // accepted when the test server shuts down traps inside NIO (apple/swift-nio#2637).
            try await client.execute(uri: "/healthz", method: .get) { response in
                #expect(response.status == .ok)
            }
            let port = try #require(client.port)
            let body =
                #"{"question": "Describe every step of cleaning the filter.", "stream": true, "max_tokens": 2000}"#
            let head = try await RawHTTPClient.readUntil(
                "chat.completion.chunk", port: port, path: "/v1/query", body: body)
            #expect(head.hasPrefix("HTTP/1.1 200"))
            // The model notices between two tokens; 2,000 tokens would take a minute or more. The
            // bound only keeps a broken server from hanging the suite.
            let deadline = ContinuousClock.now + .seconds(300)
            while !model.streamFinishes.current.contains(.cancelled) || service.generationQueue.runningCount > 0,
                ContinuousClock.now < deadline
            {
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(model.streamFinishes.current == [.cancelled])
            #expect(service.generationQueue.runningCount == 0)
            // Cancelled by the disconnect, not finished early by the degeneration guard: no answer was recorded.
            #expect(service.metrics.render().contains("rag_tokens_generated_total 0\n"))
            try await client.post("/v1/query", json: #"{"question": "How long does a charge take?", "max_tokens": 2}"#)
            {
                response in
                #expect(response.status == .ok)
            }
        }
    }
}
