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
    /// before `marker`.
    @discardableResult
    static func readUntil(_ marker: String, port: Int, path: String, body: String) throws -> String {
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
            guard count > 0 else { throw Failure(description: "the response ended before '\(marker)': \(received)") }
            received += String(decoding: buffer[0..<count], as: UTF8.self)
        }
        return received
    }
}
