import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import LanguageModel
@testable import RAGServer

#if canImport(Glibc)
    import Glibc
#endif

@Suite("Streams under load and disconnects")
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

    @Test("a client that disconnects mid-stream stops its generation and frees the model")
    func disconnect() async throws {
        let service = try await ServerFixture.service()
        let model = try #require(service.components?.model)
        try await ServerFixture.app(service).test(.live) { client in
            let port = try #require(client.port)
            let body =
                #"{"question": "Describe every step of cleaning the filter.", "stream": true, "max_tokens": 2000}"#
            try RawHTTPClient.readUntil("chat.completion.chunk", port: port, path: "/v1/query", body: body)
            // The model notices between two tokens; 2,000 tokens would take a minute or more.
            let deadline = ContinuousClock.now + .seconds(30)
            while !model.streamFinishes.current.contains(.cancelled) || service.generationQueue.runningCount > 0,
                ContinuousClock.now < deadline
            {
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(model.streamFinishes.current.contains(.cancelled))
            #expect(service.generationQueue.runningCount == 0)
            try await client.post("/v1/query", json: #"{"question": "How long does a charge take?", "max_tokens": 2}"#)
            {
                response in
                #expect(response.status == .ok)
            }
        }
    }
}

/// A bare HTTP/1.1 client on a socket: sends one request, reads until a marker arrives, then
/// closes the connection without reading the rest, as a browser tab that is closed does.
enum RawHTTPClient {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    static func readUntil(_ marker: String, port: Int, path: String, body: String) throws {
        let socketFD = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socketFD >= 0 else { throw Failure(description: "socket() failed") }
        defer { close(socketFD) }
        var timeout = timeval(tv_sec: 60, tv_usec: 0)
        setsockopt(socketFD, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(socketFD, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else { throw Failure(description: "connect() to port \(port) failed") }
        let request =
            "POST \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            + "Content-Length: \(body.utf8.count)\r\n\r\n\(body)"
        let sent = Array(request.utf8).withUnsafeBytes { send(socketFD, $0.baseAddress, $0.count, 0) }
        guard sent == request.utf8.count else { throw Failure(description: "send() failed") }
        var received = ""
        var buffer = [UInt8](repeating: 0, count: 4096)
        while !received.contains(marker) {
            let count = recv(socketFD, &buffer, buffer.count, 0)
            guard count > 0 else { throw Failure(description: "the stream ended before '\(marker)': \(received)") }
            received += String(decoding: buffer[0..<count], as: UTF8.self)
        }
    }
}
