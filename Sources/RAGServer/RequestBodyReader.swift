import Foundation
import Hummingbird

/// Reads a request's whole body within a size limit and a time limit, so that neither an enormous
/// body nor a client that sends its body a byte at a time (or never) can hold a request open.
enum RequestBodyReader {
    /// The body; 413 past `limit` bytes, 408 when it has not all arrived within `timeout`.
    ///
    /// A body read waiting on the network does not end when its task is cancelled, and it must
    /// end before the response goes out (the server reads the connection again after it). So at
    /// the deadline the connection's input is shut, which ends the read; the 408 then goes out
    /// with `Connection: close`.
    static func collect(
        _ request: Request, limit: Int, timeout: Duration, closeInput: @escaping @Sendable () -> Void
    ) async throws -> ByteBuffer {
        let timedOut = Flag()
        let deadline = Task {
            try await Task.sleep(for: timeout)
            timedOut.set()
            closeInput()
        }
        defer { deadline.cancel() }
        do {
            // A body that arrived whole as the deadline passed is still answered.
            return try await collect(request, limit: limit)
        } catch let error as APIError {
            throw error
        } catch {
            if timedOut.isSet { throw APIError.bodyTimeout(timeout) }
            throw error
        }
    }

    /// The body, already read or not; 413 past `limit` bytes.
    static func collect(_ request: Request, limit: Int) async throws -> ByteBuffer {
        var request = request
        do {
            return try await request.collectBody(upTo: limit)
        } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
            throw APIError.tooLarge(limit: limit)
        }
    }
}

/// A flag set once, read from any thread.
private final class Flag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false

    var isSet: Bool { lock.withLock { value } }
    func set() { lock.withLock { value = true } }
}
