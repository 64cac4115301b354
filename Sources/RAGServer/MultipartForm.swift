import Foundation

/// A strict reader of multipart/form-data bodies (RFC 7578): parts separated by the boundary,
/// each with headers naming the field and, for files, the file name.
enum MultipartForm {
    struct Part {
        var name: String
        var filename: String?
        var body: Data
    }

    /// At most this many parts: a form that uploads one document needs two.
    static let maxParts = 16

    static func parse(_ body: Data, contentType: String) throws -> [Part] {
        guard let boundary = parameter("boundary", in: contentType), !boundary.isEmpty, boundary.count <= 200 else {
            throw APIError.invalid("the multipart Content-Type names no boundary", param: "file")
        }
        let delimiter = Data("--\(boundary)".utf8)
        var parts: [Part] = []
        guard var cursor = body.range(of: delimiter)?.upperBound else {
            throw APIError.invalid("the multipart body does not contain its boundary", param: "file")
        }
        while true {
            // After a delimiter: "--" ends the body, CRLF starts a part.
            if body[cursor...].starts(with: Data("--".utf8)) { return parts }
            guard body[cursor...].starts(with: Data("\r\n".utf8)) else {
                throw APIError.invalid("malformed multipart body after a boundary", param: "file")
            }
            cursor += 2
            guard let headerEnd = body.range(of: Data("\r\n\r\n".utf8), in: cursor..<body.endIndex) else {
                throw APIError.invalid("a multipart part has no end of headers", param: "file")
            }
            let headers = String(decoding: body[cursor..<headerEnd.lowerBound], as: UTF8.self)
            guard let next = body.range(of: Data("\r\n".utf8) + delimiter, in: headerEnd.upperBound..<body.endIndex)
            else {
                throw APIError.invalid("a multipart part is not closed by the boundary", param: "file")
            }
            let disposition = headers.split(separator: "\r\n").first {
                $0.lowercased().hasPrefix("content-disposition:")
            }.map(String.init)
            guard let disposition, let name = parameter("name", in: disposition) else {
                throw APIError.invalid("a multipart part has no Content-Disposition name", param: "file")
            }
            parts.append(
                Part(
                    name: name, filename: parameter("filename", in: disposition),
                    body: body.subdata(in: headerEnd.upperBound..<next.lowerBound)))
            guard parts.count <= maxParts else {
                throw APIError.invalid("the multipart body has more than \(maxParts) parts", param: "file")
            }
            cursor = next.upperBound
        }
    }

    /// `key=value` or `key="value"` from a header value's parameters.
    static func parameter(_ key: String, in header: String) -> String? {
        for piece in header.split(separator: ";").dropFirst() {
            let pair = piece.split(separator: "=", maxSplits: 1)
            guard pair.count == 2, pair[0].trimmingCharacters(in: .whitespaces).lowercased() == key else { continue }
            var value = pair[1].trimmingCharacters(in: .whitespaces)
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 {
                value = String(value.dropFirst().dropLast())
            }
            return value
        }
        return nil
    }
}
