import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A bare HTTP/1.1 client on a socket: sends one request, reads until a marker arrives, then
/// closes the connection without reading the rest, as a browser tab that is closed does.
enum RawHTTPClient {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Returns what was read, the status line first; throws when the response ends (or 60 s pass)
    /// before `marker`. A request with a body is a POST of JSON, one without a GET.
    @discardableResult
    static func readUntil(_ marker: String, port: Int, path: String, body: String? = nil) async throws -> String {
        try await offCooperativeThreads { try readUntilBlocking(marker, port: port, path: path, body: body) }
    }

    /// Sends `bytes` as they are (a request cut short, a body that never comes) and reads until
    /// the server closes the connection; throws when it is still open after `seconds`.
    static func sendAndReadToClose(_ bytes: [UInt8], port: Int, seconds: Int) async throws -> String {
        try await offCooperativeThreads { try sendAndReadToCloseBlocking(bytes, port: port, seconds: seconds) }
    }

    /// Blocking socket calls on a thread of their own: on Swift's few cooperative threads they
    /// would starve the server under test, whose handlers run there too.
    private static func offCooperativeThreads<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T
    {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try work() }) }.start()
        }
    }

    private static func readUntilBlocking(_ marker: String, port: Int, path: String, body: String?) throws -> String {
        let socketFD = try connected(port: port, readTimeoutSeconds: 60)
        defer { close(socketFD) }
        let request =
            if let body {
                "POST \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Content-Length: \(body.utf8.count)\r\n\r\n\(body)"
            } else {
                "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
            }
        try send(Array(request.utf8), on: socketFD)
        var received = ""
        var buffer = [UInt8](repeating: 0, count: 4096)
        while !received.contains(marker) {
            let count = recv(socketFD, &buffer, buffer.count, 0)
            guard count > 0 else { throw Failure(description: "the response ended before '\(marker)': \(received)") }
            received += String(decoding: buffer[0..<count], as: UTF8.self)
        }
        return received
    }

    private static func sendAndReadToCloseBlocking(_ bytes: [UInt8], port: Int, seconds: Int) throws -> String {
        let socketFD = try connected(port: port, readTimeoutSeconds: seconds)
        defer { close(socketFD) }
        try send(bytes, on: socketFD)
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = recv(socketFD, &buffer, buffer.count, 0)
            if count == 0 { break }
            guard count > 0 else {
                if errno == ECONNRESET { break }
                throw Failure(
                    description: "the connection was still open after \(seconds) s: "
                        + String(decoding: received, as: UTF8.self))
            }
            received += buffer[0..<count]
        }
        return String(decoding: received, as: UTF8.self)
    }

    private static func connected(port: Int, readTimeoutSeconds: Int) throws -> Int32 {
        let socketFD = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socketFD >= 0 else { throw Failure(description: "socket() failed") }
        var timeout = timeval(tv_sec: readTimeoutSeconds, tv_usec: 0)
        setsockopt(socketFD, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(socketFD, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard result == 0 else {
            close(socketFD)
            throw Failure(description: "connect() to port \(port) failed")
        }
        return socketFD
    }

    private static func send(_ bytes: [UInt8], on socketFD: Int32) throws {
        let sent = bytes.withUnsafeBytes { Glibc.send(socketFD, $0.baseAddress, $0.count, 0) }
        guard sent == bytes.count else { throw Failure(description: "send() failed") }
    }
}
