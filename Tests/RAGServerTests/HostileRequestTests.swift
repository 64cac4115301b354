import Foundation
import Hummingbird
import HummingbirdTesting
import TestSupport
import Testing

@testable import RAGServer

/// One malformed or abusive request and the error it must get.
struct HostileRequest: Sendable, CustomTestStringConvertible {
    var name: String
    var method: HTTPRequest.Method
    var path: String
    var body: [UInt8]?
    /// Nil sends the right key; "" sends no Authorization header.
    var authorization: String? = nil
    var contentType = "application/json"
    var status: HTTPResponse.Status
    /// The error's `code` (or `param`, when it names a field) where the API documents one.
    var code: String? = nil
    var param: String? = nil

    var testDescription: String { name }

    static let key = "hostile-test-key"

    init(
        _ name: String, _ method: HTTPRequest.Method, _ path: String, json: String? = nil, bytes: [UInt8]? = nil,
        authorization: String? = nil, contentType: String = "application/json", status: HTTPResponse.Status,
        code: String? = nil, param: String? = nil
    ) {
        self.name = name
        self.method = method
        self.path = path
        body = bytes ?? json.map { Array($0.utf8) }
        self.authorization = authorization
        self.contentType = contentType
        self.status = status
        self.code = code
        self.param = param
    }
}

/// The catalogue of hostile requests: every one gets a 4xx in OpenAI's error shape, and the
/// server answers a normal question afterwards.
enum HostileRequests {
    static let routes: [(HTTPRequest.Method, String)] = [
        (.get, "/v1/models"), (.get, "/metrics"), (.get, "/v1/documents"), (.post, "/v1/documents"),
        (.delete, "/v1/documents/vacuum.md"), (.get, "/v1/adapters"), (.post, "/v1/adapters"),
        (.delete, "/v1/adapters/aurora-qv"), (.post, "/v1/load_lora_adapter"), (.post, "/v1/unload_lora_adapter"),
        (.post, "/v1/query"), (.post, "/v1/search"), (.post, "/v1/chat/completions"), (.post, "/v1/embeddings"),
        (.post, "/v1/feedback"), (.post, "/v1/ab"), (.get, "/v1/ab/stats"),
    ]

    /// Missing, wrong and wrongly-typed keys on every route but /healthz.
    static let authentication: [HostileRequest] =
        routes.flatMap { method, path in
            [
                HostileRequest(
                    "no key: \(method) \(path)", method, path, json: #"{"question": "hi"}"#, authorization: "",
                    status: .unauthorized, code: "invalid_api_key"),
                HostileRequest(
                    "wrong key: \(method) \(path)", method, path, json: #"{"question": "hi"}"#,
                    authorization: "Bearer \(HostileRequest.key)x", status: .unauthorized, code: "invalid_api_key"),
            ]
        } + [
            HostileRequest(
                "Basic scheme", .get, "/v1/models", authorization: "Basic \(HostileRequest.key)", status: .unauthorized,
                code: "invalid_api_key"),
            HostileRequest(
                "key prefix only", .get, "/v1/models", authorization: "Bearer \(HostileRequest.key.prefix(5))",
                status: .unauthorized),
            HostileRequest("empty bearer", .get, "/v1/models", authorization: "Bearer ", status: .unauthorized),
        ]

    static let malformed: [HostileRequest] = [
        HostileRequest("unterminated object", .post, "/v1/query", json: "{", status: .badRequest, code: "invalid_json"),
        HostileRequest("array body", .post, "/v1/query", json: "[1, 2]", status: .badRequest, code: "invalid_json"),
        HostileRequest("null body", .post, "/v1/query", json: "null", status: .badRequest, code: "invalid_json"),
        HostileRequest("empty body", .post, "/v1/query", json: "", status: .badRequest),
        HostileRequest(
            "trailing garbage", .post, "/v1/query", json: #"{"question": "hi"} trailing"#, status: .badRequest,
            code: "invalid_json"),
        HostileRequest(
            "comments", .post, "/v1/query", json: #"{"question": "hi" /* c */}"#, status: .badRequest,
            code: "invalid_json"),
        HostileRequest(
            "NaN literal", .post, "/v1/query", json: #"{"question": "hi", "k": NaN}"#, status: .badRequest,
            code: "invalid_json"),
        HostileRequest(
            "control character in a string", .post, "/v1/query", json: "{\"question\": \"a\u{1}b\"}",
            status: .badRequest, code: "invalid_json"),
        HostileRequest(
            "invalid UTF-8", .post, "/v1/query",
            bytes: Array(#"{"question": ""#.utf8) + [0xff, 0xfe] + Array(#""}"#.utf8), status: .badRequest,
            code: "invalid_json"),
        HostileRequest(
            "overlong UTF-8 slash", .post, "/v1/query",
            bytes: Array(#"{"question": "a"#.utf8) + [0xc0, 0xaf] + Array(#""}"#.utf8), status: .badRequest,
            code: "invalid_json"),
        HostileRequest(
            "lone surrogate escape", .post, "/v1/query", json: #"{"question": "\ud800"}"#, status: .badRequest,
            code: "invalid_json"),
        HostileRequest(
            "deep array nesting", .post, "/v1/query", json: String(repeating: "[", count: 100_000),
            status: .badRequest, code: "invalid_json"),
        HostileRequest(
            "deep object nesting", .post, "/v1/search",
            json: String(repeating: #"{"a":"#, count: 10_000) + "1" + String(repeating: "}", count: 10_000),
            status: .badRequest, code: "invalid_json"),
        HostileRequest(
            "enormous body", .post, "/v1/query",
            json: #"{"question": "\#(String(repeating: "a", count: 300_000))"}"#, status: .contentTooLarge,
            code: "body_too_large"),
        HostileRequest(
            "enormous upload", .post, "/v1/documents",
            json: #"{"source": "big.md", "text": "\#(String(repeating: "a", count: 600_000))"}"#,
            status: .contentTooLarge, code: "body_too_large"),
    ]

    static let wrongValues: [HostileRequest] = [
        HostileRequest(
            "question is a number", .post, "/v1/query", json: #"{"question": 3}"#, status: .badRequest,
            param: "question"),
        HostileRequest(
            "question missing", .post, "/v1/query", json: #"{"k": 2}"#, status: .badRequest, param: "question"),
        HostileRequest(
            "k is a string", .post, "/v1/query", json: #"{"question": "hi", "k": "4"}"#, status: .badRequest, param: "k"
        ),
        HostileRequest(
            "negative k", .post, "/v1/query", json: #"{"question": "hi", "k": -1}"#, status: .badRequest, param: "k"),
        HostileRequest(
            "k zero", .post, "/v1/search", json: #"{"query": "hi", "k": 0}"#, status: .badRequest, param: "k"),
        HostileRequest(
            "k 1e308", .post, "/v1/query", json: #"{"question": "hi", "k": 1e308}"#, status: .badRequest, param: "k"),
        HostileRequest(
            "k past Int64", .post, "/v1/search", json: #"{"query": "hi", "k": 99999999999999999999999}"#,
            status: .badRequest, param: "k"),
        HostileRequest(
            "k fractional", .post, "/v1/query", json: #"{"question": "hi", "k": 2.5}"#, status: .badRequest, param: "k"),
        HostileRequest(
            "max_tokens past the context", .post, "/v1/query", json: #"{"question": "hi", "max_tokens": 8192}"#,
            status: .badRequest),
        HostileRequest(
            "max_tokens 2^63", .post, "/v1/chat/completions",
            json: #"{"messages": [{"role": "user", "content": "hi"}], "max_tokens": 9223372036854775808}"#,
            status: .badRequest, param: "max_tokens"),
        HostileRequest(
            "negative max_tokens", .post, "/v1/chat/completions",
            json: #"{"messages": [{"role": "user", "content": "hi"}], "max_tokens": -5}"#, status: .badRequest,
            param: "max_tokens"),
        HostileRequest(
            "temperature 1e400", .post, "/v1/chat/completions",
            json: #"{"messages": [{"role": "user", "content": "hi"}], "temperature": 1e400}"#, status: .badRequest,
            param: "temperature"),
        HostileRequest(
            "top_p 2", .post, "/v1/chat/completions",
            json: #"{"messages": [{"role": "user", "content": "hi"}], "top_p": 2}"#, status: .badRequest,
            param: "top_p"),
        HostileRequest(
            "stream is a string", .post, "/v1/query", json: #"{"question": "hi", "stream": "yes"}"#,
            status: .badRequest, param: "stream"),
        HostileRequest(
            "messages is a string", .post, "/v1/chat/completions", json: #"{"messages": "hi"}"#, status: .badRequest,
            param: "messages"),
        HostileRequest(
            "no messages", .post, "/v1/chat/completions", json: #"{"messages": []}"#, status: .badRequest,
            param: "messages"),
        HostileRequest(
            "role is a number", .post, "/v1/chat/completions", json: #"{"messages": [{"role": 1, "content": "hi"}]}"#,
            status: .badRequest),
        HostileRequest(
            "stop holds numbers", .post, "/v1/chat/completions",
            json: #"{"messages": [{"role": "user", "content": "hi"}], "stop": [1]}"#, status: .badRequest,
            param: "stop"),
        HostileRequest(
            "unknown model", .post, "/v1/chat/completions",
            json: #"{"model": "gpt-9", "messages": [{"role": "user", "content": "hi"}]}"#, status: .notFound),
        HostileRequest(
            "unknown collection", .post, "/v1/chat/completions",
            json: #"{"messages": [{"role": "user", "content": "hi"}], "rag": {"collection": "../other"}}"#,
            status: .notFound),
        HostileRequest(
            "embeddings without input", .post, "/v1/embeddings", json: #"{"input": []}"#, status: .badRequest,
            param: "input"),
        HostileRequest(
            "too many embedding inputs", .post, "/v1/embeddings",
            json: #"{"input": [\#(Array(repeating: "\"a\"", count: 300).joined(separator: ","))]}"#,
            status: .badRequest, param: "input"),
        HostileRequest(
            "embedding input too long, truncate false", .post, "/v1/embeddings",
            json: #"{"input": "\#(String(repeating: "word ", count: 600))", "truncate": false}"#, status: .badRequest,
            param: "input"),
        HostileRequest(
            "feedback rating", .post, "/v1/feedback", json: #"{"answer_id": "x", "rating": "meh"}"#,
            status: .badRequest, param: "rating"),
        HostileRequest(
            "feedback for no answer", .post, "/v1/feedback", json: #"{"answer_id": "nope", "rating": "up"}"#,
            status: .notFound),
        HostileRequest("unknown route", .get, "/v1/nothing", status: .notFound),
        HostileRequest(
            "unknown adapter in a query", .post, "/v1/query", json: #"{"question": "hi", "adapter": "nope"}"#,
            status: .notFound),
    ]

    static let traversal: [HostileRequest] = [
        HostileRequest(
            "adapter ../", .post, "/v1/adapters", json: #"{"name": "../adapters/aurora-qv"}"#, status: .badRequest),
        HostileRequest("adapter absolute path", .post, "/v1/adapters", json: #"{"name": "/etc"}"#, status: .badRequest),
        HostileRequest(
            "adapter with a NUL", .post, "/v1/adapters", json: #"{"name": "aurora-qv\u0000"}"#, status: .badRequest),
        HostileRequest("adapter backslash", .post, "/v1/adapters", json: #"{"name": "..\\etc"}"#, status: .badRequest),
        HostileRequest(
            "vLLM lora_path outside the folder", .post, "/v1/load_lora_adapter",
            json: #"{"lora_name": "aurora-qv", "lora_path": "/etc"}"#, status: .badRequest),
        HostileRequest(
            "adapter in a query ../", .post, "/v1/query", json: #"{"question": "hi", "adapter": "../x"}"#,
            status: .notFound),
        HostileRequest("unload ..", .delete, "/v1/adapters/..", status: .notFound),
        HostileRequest(
            "document source ../", .post, "/v1/documents", json: #"{"source": "../../etc/passwd.md", "text": "x"}"#,
            status: .badRequest, param: "source"),
        HostileRequest(
            "document source absolute", .post, "/v1/documents", json: #"{"source": "/etc/passwd.md", "text": "x"}"#,
            status: .badRequest, param: "source"),
        HostileRequest(
            "document source NUL", .post, "/v1/documents", json: #"{"source": "a\u0000.md", "text": "x"}"#,
            status: .badRequest, param: "source"),
        HostileRequest(
            "delete an encoded ../ document", .delete, "/v1/documents/..%2F..%2Fetc%2Fpasswd", status: .notFound),
    ]

    static var all: [HostileRequest] { authentication + malformed + wrongValues + traversal }
}

@Suite("Hostile requests")
struct HostileRequestTests {
    static func settings() -> ServerSettings {
        var settings = ServerSettings(
            adaptersDirectory: TestResources.fixtures.appendingPathComponent("adapters"))
        settings.apiKey = HostileRequest.key
        settings.bodyLimit = 256 << 10
        settings.uploadLimit = 512 << 10
        return settings
    }

    @Test("the catalogue holds at least 40 requests beside the key checks")
    func catalogue() {
        #expect(
            HostileRequests.malformed.count + HostileRequests.wrongValues.count + HostileRequests.traversal.count >= 40)
    }

    @Test("each hostile request gets its 4xx in OpenAI's error shape", arguments: HostileRequests.all)
    func hostile(_ hostile: HostileRequest) async throws {
        let service = try await ServerFixture.service(settings: Self.settings())
        try await ServerFixture.app(service).test(.router) { client in
            var headers: HTTPFields = [.contentType: hostile.contentType]
            switch hostile.authorization {
            case nil: headers[.authorization] = "Bearer \(HostileRequest.key)"
            case ""?: break
            case let value?: headers[.authorization] = value
            }
            try await client.execute(
                uri: hostile.path, method: hostile.method, headers: headers,
                body: hostile.body.map { ByteBuffer(bytes: $0) }
            ) { response in
                #expect(response.status == hostile.status, "\(hostile.name): \(response.text.prefix(300))")
                let error = response.errorObject
                #expect(error["message"] is String, "\(hostile.name): \(response.text.prefix(300))")
                #expect(error["type"] is String)
                if let code = hostile.code { #expect(error["code"] as? String == code, "\(hostile.name)") }
                if let param = hostile.param { #expect(error["param"] as? String == param, "\(hostile.name)") }
            }
            // And the server keeps serving.
            try await client.execute(
                uri: "/v1/search", method: .post,
                headers: [.contentType: "application/json", .authorization: "Bearer \(HostileRequest.key)"],
                body: ByteBuffer(string: #"{"query": "battery", "k": 1}"#)
            ) { response in
                #expect(response.status == .ok)
            }
        }
        #expect(service.adapters.adapters.isEmpty)
    }
}

/// On real sockets: clients that send too slowly, or too much in their headers.
///
/// Each test uses fresh connections of its own, never the harness's: on a busy machine the test's
/// body may start after that connection has sat idle past the timeout and been closed. The body
/// timeout (answered by a handler, which a busy machine may run late) and the idle timeout (kept
/// by the connection's event loop) are tested on separate servers, so that neither can pre-empt
/// the other however late the handler runs.
@Suite("Hostile connections")
struct HostileConnectionTests {
    @Test("a body that never finishes gets 408, and serving goes on")
    func slowBody() async throws {
        var settings = ServerSettings()
        settings.bodyTimeout = .seconds(1)
        try await Self.withServer(settings) { port in
            let slowBody =
                "POST /v1/query HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Content-Length: 100\r\n\r\n{\"question\": "
            let answer = try await RawHTTPClient.sendAndReadToClose(Array(slowBody.utf8), port: port, seconds: 50)
            #expect(answer.hasPrefix("HTTP/1.1 408"), "\(answer)")
            #expect(answer.contains(#""code":"request_timeout""#))
            try await Self.expectServing(port: port)
        }
    }

    @Test("a request whose headers never finish is closed when idle, huge headers are refused, serving goes on")
    func slowHeaders() async throws {
        var settings = ServerSettings()
        settings.idleTimeout = .seconds(3)
        try await Self.withServer(settings) { port in
            // Headers that never end: nothing to answer, the idle connection is closed.
            let slowHeaders = "POST /v1/query HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: "
            let closed = try await RawHTTPClient.sendAndReadToClose(Array(slowHeaders.utf8), port: port, seconds: 31)
            #expect(closed.isEmpty)
            // A header block past the parser's limit is refused.
            let huge =
                "GET /v1/models HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: \(String(repeating: "a", count: 200_000))\r\n\r\n"
            let refused = try await RawHTTPClient.sendAndReadToClose(Array(huge.utf8), port: port, seconds: 32)
            #expect(refused.isEmpty || refused.hasPrefix("HTTP/1.1 4"), "\(refused.prefix(200))")
            try await Self.expectServing(port: port)
        }
    }

    /// Runs `body` with the port of a live server.
    static func withServer(
        _ settings: ServerSettings, _ body: @escaping @Sendable (Int) async throws -> Void
    ) async throws {
        let service = try await ServerFixture.service(settings: settings)
        try await ServerFixture.app(service).test(.live) { client in
            try await body(try #require(client.port))
        }
    }

    /// A new connection is served: the health check, then a search.
    static func expectServing(port: Int) async throws {
        let healthy = try await RawHTTPClient.readUntil("\r\n", port: port, path: "/healthz")
        #expect(healthy.hasPrefix("HTTP/1.1 200"), "\(healthy)")
        let served = try await RawHTTPClient.readUntil(
            "\"results\"", port: port, path: "/v1/search", body: #"{"query": "battery", "k": 1}"#)
        #expect(served.hasPrefix("HTTP/1.1 200"))
    }
}
