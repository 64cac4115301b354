import Foundation
import Hummingbird

/// Server-Sent Events as OpenAI streams them: `data: <json>` blocks, an optional `event:` name,
/// and `data: [DONE]` at the end.
enum ServerSentEvents {
    static var headers: HTTPFields {
        var headers = HTTPFields()
        headers[.contentType] = "text/event-stream; charset=utf-8"
        headers[.cacheControl] = "no-cache"
        return headers
    }

    static func event(_ data: Data, name: String? = nil) -> ByteBuffer {
        var buffer = ByteBuffer()
        if let name { buffer.writeString("event: \(name)\n") }
        buffer.writeString("data: ")
        buffer.writeBytes(data)
        buffer.writeString("\n\n")
        return buffer
    }

    static func event(_ value: some Encodable, name: String? = nil) throws -> ByteBuffer {
        event(try JSONResponse.data(value), name: name)
    }

    static let done = ByteBuffer(string: "data: [DONE]\n\n")

    /// An error after the stream began: its status can no longer change, so it travels as an event.
    static func error(_ error: any Error) -> ByteBuffer {
        event(APIError.from(error).jsonData, name: "error")
    }
}
