import AdapterLoader
import Foundation
import Hummingbird
import LanguageModel
import RAG
import VectorIndex

/// An error as the API reports it: OpenAI's shape (`{"error": {"message", "type", "code", "param"}}`)
/// with a fitting status. Domain errors become these only here, at the edge.
public struct APIError: Error, HTTPResponseError, Equatable, CustomStringConvertible {
    public var status: HTTPResponse.Status
    public var message: String
    /// OpenAI's error type: invalid_request_error, authentication_error, not_found_error, ...
    public var type: String
    public var code: String?
    /// The request field at fault.
    public var param: String?

    public init(status: HTTPResponse.Status, message: String, type: String, code: String? = nil, param: String? = nil) {
        self.status = status
        self.message = message
        self.type = type
        self.code = code
        self.param = param
    }

    public var description: String { "\(status.code) \(type): \(message)" }

    public static func invalid(_ message: String, param: String? = nil, code: String? = "invalid_value") -> APIError {
        APIError(status: .badRequest, message: message, type: "invalid_request_error", code: code, param: param)
    }

    public static func notFound(_ message: String, param: String? = nil, code: String = "not_found") -> APIError {
        APIError(status: .notFound, message: message, type: "not_found_error", code: code, param: param)
    }

    public static func unauthorized(_ message: String) -> APIError {
        APIError(status: .unauthorized, message: message, type: "authentication_error", code: "invalid_api_key")
    }

    public static func tooLarge(limit: Int) -> APIError {
        APIError(
            status: .contentTooLarge, message: "the request body is larger than the limit of \(limit) bytes",
            type: "invalid_request_error", code: "body_too_large")
    }

    /// The body did not arrive in time; the connection is closed after the answer.
    public static func bodyTimeout(_ timeout: Duration) -> APIError {
        APIError(
            status: .requestTimeout,
            message: "the request body did not arrive within \(timeout.components.seconds) seconds",
            type: "invalid_request_error", code: "request_timeout")
    }

    public static func busy(_ message: String) -> APIError {
        APIError(status: .tooManyRequests, message: message, type: "rate_limit_error", code: "queue_full")
    }

    public static func unavailable(_ message: String) -> APIError {
        APIError(status: .serviceUnavailable, message: message, type: "server_error", code: "not_ready")
    }

    public static func internalError(_ message: String) -> APIError {
        APIError(status: .internalServerError, message: message, type: "server_error", code: "internal_error")
    }

    /// The JSON body.
    public var body: [String: [String: String?]] {
        ["error": ["message": message, "type": type, "code": code, "param": param]]
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        response
    }

    var response: Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        if status == .unauthorized { headers[.wwwAuthenticate] = "Bearer" }
        // The rest of a body that came too slowly is not worth waiting for.
        if status == .requestTimeout { headers[.connection] = "close" }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(data: jsonData)))
    }

    /// The body as bytes (also the payload of an error event in a stream).
    var jsonData: Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(body)) ?? Data(#"{"error":{"message":"error"}}"#.utf8)
    }
}

extension APIError {
    /// The API error for any error a handler throws.
    static func from(_ error: any Error) -> APIError {
        switch error {
        case let error as APIError: return error
        case let error as AnsweringError: return from(error)
        case let error as LanguageModelError: return from(error)
        case VectorIndexError.diskFull:
            return APIError(
                status: .init(code: 507, reasonPhrase: "Insufficient Storage"), message: "\(error)",
                type: "server_error", code: "disk_full")
        case let error as VectorIndexError: return .internalError("the collection failed: \(error)")
        case let error as AdapterError: return .invalid("\(error)", param: "adapter", code: "invalid_adapter")
        case let error as HTTPError:
            switch error.status {
            case .notFound: return .notFound("no such route", code: "unknown_route")
            case .contentTooLarge:
                return APIError(
                    status: .contentTooLarge, message: error.body ?? "the request body is too large",
                    type: "invalid_request_error", code: "body_too_large")
            case .methodNotAllowed:
                return APIError(
                    status: .methodNotAllowed, message: "this route does not accept the method",
                    type: "invalid_request_error", code: "method_not_allowed")
            default:
                return APIError(
                    status: error.status, message: error.body ?? error.status.reasonPhrase,
                    type: error.status.code < 500 ? "invalid_request_error" : "server_error")
            }
        case is CancellationError:
            return APIError(status: .init(code: 499), message: "the client went away", type: "cancelled")
        default:
            if let error = error as? any HTTPResponseError, error.status == .contentTooLarge {
                return APIError(
                    status: .contentTooLarge, message: "the request body is too large", type: "invalid_request_error",
                    code: "body_too_large")
            }
            return .internalError("\(error)")
        }
    }

    static func from(_ error: AnsweringError) -> APIError {
        switch error {
        case .emptyQuestion: return .invalid("the question is empty", param: "question", code: "empty_question")
        case .invalidRequest(let field, let message): return .invalid(message, param: field)
        case .promptTooLong: return .invalid(error.description, param: "max_tokens", code: "context_length_exceeded")
        case .queueFull: return .busy(error.description)
        case .retrieval(let inner): return .internalError("retrieval failed: \(inner)")
        case .generation(let inner): return from(inner)
        }
    }

    static func from(_ error: LanguageModelError) -> APIError {
        switch error {
        case .contextExceeded:
            return .invalid("\(error)", param: "max_tokens", code: "context_length_exceeded")
        case .invalidOption, .emptyPrompt, .invalidToken:
            return .invalid("\(error)")
        default:
            return .internalError("\(error)")
        }
    }
}
