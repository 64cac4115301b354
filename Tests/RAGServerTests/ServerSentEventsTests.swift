import Foundation
import Hummingbird
import Testing

@testable import RAG
@testable import RAGServer

@Suite("Server-Sent Events")
struct ServerSentEventsTests {
    @Test("an error after the stream began is an error event in OpenAI's shape")
    func errorEvent() throws {
        let text = String(buffer: ServerSentEvents.error(AnsweringError.queueFull(waiting: 3)))
        #expect(text.hasPrefix("event: error\ndata: {"))
        #expect(text.hasSuffix("}\n\n"))
        let payload = Data(text.split(separator: "\n")[1].dropFirst(6).utf8)
        let object = try #require(try JSONSerialization.jsonObject(with: payload) as? [String: Any])
        let error = try #require(object["error"] as? [String: Any])
        #expect(error["type"] as? String == "rate_limit_error")
        #expect((error["message"] as? String)?.contains("3 requests are waiting") == true)
    }

    @Test("a data event is one line of JSON; the stream ends with [DONE]")
    func dataEvent() throws {
        let text = String(buffer: try ServerSentEvents.event(["answer": "line one\nline two"]))
        #expect(text == "data: {\"answer\":\"line one\\nline two\"}\n\n")
        #expect(String(buffer: ServerSentEvents.done) == "data: [DONE]\n\n")
    }
}
